package org.tsr.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization into its resources: with {@code kubectl kustomize} where kubectl is on the PATH, and with
 * {@link #inJava} otherwise, a small subset of kustomize that covers what k8s/base and the overlays use and refuses
 * anything else: {@code resources} (files and folders), {@code components} (with resources and patches by path),
 * {@code namespace}, {@code labels} (metadata only),
 * {@code images} (new name and tag) and {@code patches} given by {@code path} (strategic merge: maps merged key by
 * key, lists of named items merged by name with new items first, other lists replaced); with a namespace, the
 * ServiceAccount subjects of role bindings that name none are given it too.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED =
            Set.of("apiVersion", "kind", "resources", "components", "namespace", "labels", "images", "patches");
    private static final Set<String> SUPPORTED_IN_COMPONENTS = Set.of("apiVersion", "kind", "resources", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "CustomResourceDefinition",
            "PersistentVolume",
            "StorageClass",
            "PriorityClass");

    private Kustomize() {}

    /** The kubectl on the PATH, if any. */
    static Optional<Path> kubectl() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(folder, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static List<Map<String, Object>> withKubectl(Path kubectl, Path kustomization) {
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString())
                    .redirectErrorStream(false)
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + kustomization + " failed: " + errors);
            }
            return RepositoryFiles.yamlDocuments(new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> inJava(Path folder) {
        Map<String, Object> kustomization = RepositoryFiles.yaml(folder.resolve("kustomization.yaml"));
        for (String field : kustomization.keySet()) {
            if (!SUPPORTED.contains(field)) {
                throw new UnsupportedOperationException(folder + " uses '" + field
                        + "', which the Java rendering does not support: install kubectl to check it");
            }
        }
        List<Map<String, Object>> resources = resources(folder, kustomization);
        for (String component : (List<String>) kustomization.getOrDefault("components", List.of())) {
            Path path = folder.resolve(component).normalize();
            Map<String, Object> spec = RepositoryFiles.yaml(path.resolve("kustomization.yaml"));
            if (!"Component".equals(spec.get("kind"))) {
                throw new IllegalArgumentException(path + " is listed as a component but is a " + spec.get("kind"));
            }
            for (String field : spec.keySet()) {
                if (!SUPPORTED_IN_COMPONENTS.contains(field)) {
                    throw new UnsupportedOperationException(path + " uses '" + field + "' in a component, which the"
                            + " Java rendering does not support: install kubectl to check it");
                }
            }
            resources.addAll(resources(path, spec));
            patch(path, spec, resources);
        }
        patch(folder, kustomization, resources);
        for (Map<String, Object> labels : (List<Map<String, Object>>) kustomization.getOrDefault("labels", List.of())) {
            if (Boolean.TRUE.equals(labels.get("includeSelectors"))
                    || Boolean.TRUE.equals(labels.get("includeTemplates"))) {
                throw new UnsupportedOperationException("labels only on metadata are supported: " + labels);
            }
            for (Map<String, Object> resource : resources) {
                Map<String, Object> metadata = (Map<String, Object>) resource.get("metadata");
                Map<String, Object> merged =
                        new LinkedHashMap<>((Map<String, Object>) metadata.getOrDefault("labels", Map.of()));
                merged.putAll((Map<String, Object>) labels.get("pairs"));
                metadata.put("labels", merged);
            }
        }
        for (Map<String, Object> image : (List<Map<String, Object>>) kustomization.getOrDefault("images", List.of())) {
            if (image.containsKey("digest")) {
                throw new UnsupportedOperationException("image digests are not supported: " + image);
            }
            resources.forEach(resource -> retag(resource, image));
        }
        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> resource : resources) {
                if (!CLUSTER_SCOPED.contains(resource.get("kind"))) {
                    ((Map<String, Object>) resource.get("metadata")).put("namespace", namespace);
                }
                bindServiceAccountsIn(resource, namespace);
            }
        }
        return resources;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> resources(Path folder, Map<String, Object> kustomization) {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (String resource : (List<String>) kustomization.getOrDefault("resources", List.of())) {
            Path path = folder.resolve(resource).normalize();
            resources.addAll(
                    Files.isDirectory(path) ? inJava(path) : RepositoryFiles.yamlDocuments(RepositoryFiles.read(path)));
        }
        return resources;
    }

    /** Applies the kustomization's strategic-merge patches (given by path) to the resources, in place. */
    @SuppressWarnings("unchecked")
    private static void patch(Path folder, Map<String, Object> kustomization, List<Map<String, Object>> resources) {
        for (Map<String, Object> patch : (List<Map<String, Object>>) kustomization.getOrDefault("patches", List.of())) {
            if (!patch.keySet().equals(Set.of("path"))) {
                throw new UnsupportedOperationException("only patches given by path are supported: " + patch);
            }
            Map<String, Object> change = RepositoryFiles.yaml(folder.resolve((String) patch.get("path")));
            Map<String, Object> target = resources.stream()
                    .filter(resource -> sameObject(resource, change))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("patch " + patch + " matches no resource"));
            resources.set(resources.indexOf(target), (Map<String, Object>) merge(target, change));
        }
    }

    /** A role binding's ServiceAccount subjects without a namespace get the kustomization's, as kustomize does. */
    @SuppressWarnings("unchecked")
    private static void bindServiceAccountsIn(Map<String, Object> resource, Object namespace) {
        if (resource.get("kind").equals("RoleBinding") || resource.get("kind").equals("ClusterRoleBinding")) {
            for (Map<String, Object> subject :
                    (List<Map<String, Object>>) resource.getOrDefault("subjects", List.of())) {
                if ("ServiceAccount".equals(subject.get("kind")) && subject.get("namespace") == null) {
                    subject.put("namespace", namespace);
                }
            }
        }
    }

    private static boolean sameObject(Map<String, Object> a, Map<String, Object> b) {
        return a.get("kind").equals(b.get("kind"))
                && RepositoryFiles.<String>at(a, "metadata", "name").equals(RepositoryFiles.at(b, "metadata", "name"));
    }

    @SuppressWarnings("unchecked")
    static Object merge(Object original, Object patch) {
        if (original instanceof Map && patch instanceof Map) {
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) original);
            ((Map<String, Object>) patch).forEach((key, value) -> merged.merge(key, value, Kustomize::merge));
            return merged;
        }
        if (original instanceof List<?> originalList
                && patch instanceof List<?> patchList
                && named(originalList)
                && named(patchList)) {
            List<Object> merged = new ArrayList<>();
            Map<Object, Object> patches = new LinkedHashMap<>();
            patchList.forEach(item -> patches.put(((Map<String, Object>) item).get("name"), item));
            for (Object item : patchList) {
                Object name = ((Map<String, Object>) item).get("name");
                if (originalList.stream().noneMatch(old -> name.equals(((Map<String, Object>) old).get("name")))) {
                    merged.add(item);
                }
            }
            for (Object item : originalList) {
                Object name = ((Map<String, Object>) item).get("name");
                merged.add(patches.containsKey(name) ? merge(item, patches.get(name)) : item);
            }
            return merged;
        }
        return patch;
    }

    private static boolean named(List<?> list) {
        return !list.isEmpty()
                && list.stream().allMatch(item -> item instanceof Map<?, ?> map && map.get("name") != null);
    }

    @SuppressWarnings("unchecked")
    private static void retag(Map<String, Object> resource, Map<String, Object> image) {
        Object podSpec = resource.get("kind").equals("Pod")
                ? resource.get("spec")
                : RepositoryFiles.at(resource, "spec", "template", "spec");
        if (podSpec == null) {
            return;
        }
        for (String field : List.of("initContainers", "containers")) {
            for (Map<String, Object> container :
                    (List<Map<String, Object>>) ((Map<String, Object>) podSpec).getOrDefault(field, List.of())) {
                String current = (String) container.get("image");
                String name = current.replaceFirst(":[^:/]*$", "");
                if (name.equals(image.get("name"))) {
                    String newName = (String) image.getOrDefault("newName", name);
                    Object newTag = image.get("newTag");
                    container.put("image", newTag == null ? newName : newName + ":" + newTag);
                }
            }
        }
    }
}
