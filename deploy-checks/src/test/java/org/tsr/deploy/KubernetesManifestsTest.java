package org.tsr.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every overlay in k8s/overlays (with kubectl where it is installed, else with {@link Kustomize#inJava}),
 * reads each object as its fabric8 Kubernetes model class, and checks what a deployment relies on: probes on the
 * actuator health groups, resource requests and limits (GPUs only where the overlay puts them), credentials only
 * from Secrets, pinned images, a ServiceMonitor that finds the services, HPAs and NetworkPolicies that expose only
 * the gateway.
 */
class KubernetesManifestsTest {

    static final List<String> SERVICES =
            List.of("gateway", "generator-service", "judge-service", "pairing-service", "trainer-service");
    /** In the gpu overlay; the trainer's jobs get their GPUs as Kubernetes workloads of their own. */
    static final Set<String> ON_GPU = Set.of("generator-service");

    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|api_?key|admin_key).*");
    static final JsonMapper json = JsonMapper.builder().build();

    /** One workload's pod template, with the kind and name of the object that owns it. */
    record Workload(String kind, String name, LabelSelector selector, PodTemplateSpec template) {}

    static List<Map<String, Object>> render(String overlay) {
        return render(RepositoryFiles.path("k8s/overlays/" + overlay));
    }

    static List<Map<String, Object>> render(Path folder) {
        return Kustomize.kubectl()
                .map(kubectl -> Kustomize.withKubectl(kubectl, folder))
                .orElseGet(() -> Kustomize.inJava(folder));
    }

    static List<HasMetadata> typed(List<Map<String, Object>> rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> object : rendered) {
            Class<? extends HasMetadata> type = switch ((String) object.get("kind")) {
                case "Deployment" -> Deployment.class;
                case "StatefulSet" -> StatefulSet.class;
                case "Service" -> Service.class;
                case "ConfigMap" -> ConfigMap.class;
                case "PersistentVolumeClaim" -> PersistentVolumeClaim.class;
                case "HorizontalPodAutoscaler" -> HorizontalPodAutoscaler.class;
                case "NetworkPolicy" -> NetworkPolicy.class;
                case "ServiceAccount" -> ServiceAccount.class;
                case "Role" -> Role.class;
                case "RoleBinding" -> RoleBinding.class;
                case "ServiceMonitor", "TrainingRuntime" -> GenericKubernetesResource.class;
                default -> throw new AssertionError("unexpected kind " + object.get("kind"));
            };
            objects.add(json.convertValue(object, type));
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return all(objects, type).stream()
                .filter(object -> object.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static List<Workload> workloads(List<HasMetadata> objects) {
        List<Workload> workloads = new ArrayList<>();
        all(objects, Deployment.class)
                .forEach(d -> workloads.add(new Workload(
                        "Deployment",
                        d.getMetadata().getName(),
                        d.getSpec().getSelector(),
                        d.getSpec().getTemplate())));
        all(objects, StatefulSet.class)
                .forEach(s -> workloads.add(new Workload(
                        "StatefulSet",
                        s.getMetadata().getName(),
                        s.getSpec().getSelector(),
                        s.getSpec().getTemplate())));
        return workloads;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyContainerHasProbesResourcesAndAPinnedImage(String overlay) {
        List<HasMetadata> objects = typed(render(overlay));
        List<Workload> workloads = workloads(objects);
        assertThat(workloads).extracting(Workload::name).containsAll(SERVICES).contains("postgres");
        for (Workload workload : workloads) {
            assertThat(matches(
                            workload.selector(),
                            workload.template().getMetadata().getLabels()))
                    .as(workload.name() + " selects its own pods")
                    .isTrue();
            for (Container container : workload.template().getSpec().getContainers()) {
                String what = overlay + " " + workload.name() + "/" + container.getName();
                assertThat(RepositoryFiles.pinned(container.getImage()))
                        .as(what + " image " + container.getImage())
                        .isTrue();
                assertThat(container.getLivenessProbe()).as(what + " liveness").isNotNull();
                assertThat(container.getReadinessProbe())
                        .as(what + " readiness")
                        .isNotNull();
                ResourceRequirements resources = container.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = resources.getRequests().get(resource);
                    Quantity limit = resources.getLimits().get(resource);
                    assertThat(request).as(what + " requests " + resource).isNotNull();
                    assertThat(limit).as(what + " limits " + resource).isNotNull();
                    assertThat(limit.getNumericalAmount())
                            .as(what + " " + resource + " limit >= request")
                            .isGreaterThanOrEqualTo(request.getNumericalAmount());
                }
                boolean gpu = resources.getLimits().containsKey("nvidia.com/gpu");
                assertThat(gpu)
                        .as(what + " has a GPU")
                        .isEqualTo(overlay.equals("gpu") && ON_GPU.contains(workload.name()));
                if (gpu) {
                    assertThat(resources.getLimits().get("nvidia.com/gpu")).isEqualTo(new Quantity("1"));
                    assertThat(resources.getRequests().get("nvidia.com/gpu")).isEqualTo(new Quantity("1"));
                    assertThat(container.getImage()).endsWith("-cu128");
                }
            }
        }
        for (HasMetadata object : objects) {
            assertThat(object.getMetadata().getNamespace())
                    .as(object.getKind() + " " + object.getMetadata().getName())
                    .isEqualTo("tsr");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void servicesProbeTheActuatorHealthGroupsOnTheirHttpPort(String overlay) {
        List<HasMetadata> objects = typed(render(overlay));
        for (String name : SERVICES) {
            Container container = named(objects, Deployment.class, name)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            assertThat(container.getPorts())
                    .anySatisfy(port -> assertThat(port.getName()).isEqualTo("http"));
            assertHttpProbe(container.getLivenessProbe(), "/actuator/health/liveness");
            assertHttpProbe(container.getStartupProbe(), "/actuator/health/liveness");
            assertHttpProbe(container.getReadinessProbe(), "/actuator/health/readiness");
            int port = container.getPorts().get(0).getContainerPort();
            assertThat(container.getEnv()).contains(new EnvVar("PORT", Integer.toString(port), null));
            Service service = named(objects, Service.class, name);
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(servicePort -> {
                assertThat(servicePort.getPort()).isEqualTo(port);
                assertThat(servicePort.getTargetPort().getStrVal()).isEqualTo("http");
            });
        }
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void credentialsComeFromSecretsAndEveryReferencedObjectExists(String overlay) {
        List<Map<String, Object>> rendered = render(overlay);
        assertThat(rendered).noneMatch(object -> object.get("kind").equals("Secret"));
        List<HasMetadata> objects = typed(rendered);
        Set<String> configMaps = all(objects, ConfigMap.class).stream()
                .map(c -> c.getMetadata().getName())
                .collect(Collectors.toSet());
        Set<String> claims = all(objects, PersistentVolumeClaim.class).stream()
                .map(c -> c.getMetadata().getName())
                .collect(Collectors.toSet());
        for (Workload workload : workloads(objects)) {
            for (Container container : workload.template().getSpec().getContainers()) {
                for (EnvVar env : container.getEnv()) {
                    if (SECRET_NAME.matcher(env.getName()).matches()) {
                        assertThat(env.getValue())
                                .as(workload.name() + " " + env.getName())
                                .isNull();
                        assertThat(env.getValueFrom().getSecretKeyRef())
                                .as(workload.name() + " " + env.getName() + " from a Secret")
                                .isNotNull();
                    }
                }
                container
                        .getEnvFrom()
                        .forEach(source -> assertThat(configMaps)
                                .contains(source.getConfigMapRef().getName()));
            }
            for (Volume volume : workload.template().getSpec().getVolumes()) {
                if (volume.getPersistentVolumeClaim() != null) {
                    assertThat(claims)
                            .contains(volume.getPersistentVolumeClaim().getClaimName());
                }
            }
        }
        for (String name : SERVICES) {
            List<EnvVar> env = named(objects, Deployment.class, name)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv();
            assertThat(secretRef(env, "SPRING_DATASOURCE_USERNAME")).isEqualTo("tsr-db/username");
            assertThat(secretRef(env, "SPRING_DATASOURCE_PASSWORD")).isEqualTo("tsr-db/password");
            assertThat(secretRef(env, "TSR_SERVICE_AUTH_TOKEN"))
                    .as(name + " shares the service credential")
                    .isEqualTo("tsr-service-auth/token");
        }
        assertThat(named(objects, Deployment.class, "gateway")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getVolumeMounts())
                .as("the gateway checks imported models in the checkpoints volume")
                .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/var/lib/tsr/checkpoints"));
        assertThat(named(objects, ConfigMap.class, "tsr-config").getData())
                .containsEntry("TSR_INFERENCE_REMOTE_ALLOWEDHOSTS", "vllm");
        assertThat(secretRef(envOf(objects, "gateway"), "TSR_ACCESS_BOOTSTRAP_ADMIN_KEY"))
                .isEqualTo("tsr-api-keys/admin-key");
        assertThat(secretRef(envOf(objects, "generator-service"), "TSR_INFERENCE_REMOTE_API_KEY"))
                .isEqualTo("tsr-api-keys/inference-api-key");
        assertThat(named(objects, ConfigMap.class, "tsr-config").getData())
                .containsEntry("TSR_TRAINER_CHECKPOINT_DIR", "/var/lib/tsr/checkpoints")
                .containsKey("SPRING_DATASOURCE_URL");
        assertThat(named(objects, PersistentVolumeClaim.class, "tsr-checkpoints")
                        .getSpec()
                        .getAccessModes())
                .containsExactly("ReadWriteMany");
    }

    private static List<EnvVar> envOf(List<HasMetadata> objects, String deployment) {
        return named(objects, Deployment.class, deployment)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();
    }

    private static String secretRef(List<EnvVar> env, String name) {
        EnvVar variable = env.stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
        var ref = variable.getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void theServiceMonitorFindsTheFiveServicesAndTheHpasScaleGeneratorAndJudge(String overlay) {
        List<HasMetadata> objects = typed(render(overlay));
        GenericKubernetesResource monitor = named(objects, GenericKubernetesResource.class, "tsr");
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        Map<String, Object> spec =
                (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        Map<String, String> selector = RepositoryFiles.at(spec, "selector", "matchLabels");
        List<String> selected = all(objects, Service.class).stream()
                .filter(service -> service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .map(service -> service.getMetadata().getName())
                .toList();
        assertThat(selected).containsExactlyInAnyOrderElementsOf(SERVICES);
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        assertThat(endpoint).containsEntry("path", "/actuator/prometheus");
        String jobLabel = (String) spec.get("jobLabel");
        for (String name : SERVICES) {
            Service service = named(objects, Service.class, name);
            assertThat(service.getSpec().getPorts())
                    .extracting(ServicePort::getName)
                    .contains((String) endpoint.get("port"));
            assertThat(service.getMetadata().getLabels())
                    .as("the job the dashboards select")
                    .containsEntry(jobLabel, "tsr");
        }

        List<HorizontalPodAutoscaler> autoscalers = all(objects, HorizontalPodAutoscaler.class);
        assertThat(autoscalers)
                .extracting(hpa -> hpa.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("generator-service", "judge-service");
        for (HorizontalPodAutoscaler hpa : autoscalers) {
            named(objects, Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
            assertThat(hpa.getSpec().getMinReplicas())
                    .isBetween(1, hpa.getSpec().getMaxReplicas());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void networkPoliciesLetOnlyTheGatewayBeReachedFromAnywhere(String overlay) {
        List<HasMetadata> objects = typed(render(overlay));
        List<Workload> workloads = workloads(objects);
        List<NetworkPolicy> policies = all(objects, NetworkPolicy.class);
        Set<String> isolated = new HashSet<>();
        Set<String> openToAll = new HashSet<>();
        for (NetworkPolicy policy : policies) {
            List<String> selected = workloads.stream()
                    .filter(w -> matches(
                            policy.getSpec().getPodSelector(),
                            w.template().getMetadata().getLabels()))
                    .map(Workload::name)
                    .toList();
            if (policy.getSpec().getPolicyTypes().contains("Ingress")) {
                isolated.addAll(selected);
            }
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                    openToAll.addAll(selected);
                }
            }
        }
        assertThat(isolated)
                .as("every workload has ingress rules")
                .containsExactlyInAnyOrderElementsOf(
                        workloads.stream().map(Workload::name).toList());
        assertThat(openToAll).containsExactly("gateway");
    }

    @Test
    void theJavaRenderingAgreesWithKubectl() {
        assumeTrue(Kustomize.kubectl().isPresent(), "kubectl is not installed");
        for (String overlay : List.of("cpu", "gpu")) {
            Path folder = RepositoryFiles.path("k8s/overlays/" + overlay);
            List<Map<String, Object>> kubectl =
                    Kustomize.withKubectl(Kustomize.kubectl().get(), folder);
            List<Map<String, Object>> java = Kustomize.inJava(folder);
            assertThat(java).as(overlay).containsExactlyInAnyOrderElementsOf(kubectl);
        }
    }

    @Test
    void theExternalDatabaseComponentReplacesTheStatefulSet() throws IOException {
        assumeTrue(Kustomize.kubectl().isPresent(), "kubectl is not installed");
        Path overlay = Files.createTempDirectory(RepositoryFiles.path("deploy-checks/target"), "external-db");
        Path root = RepositoryFiles.root();
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                resources: [%s]
                components: [%s]
                """.formatted(
                        overlay.relativize(root.resolve("k8s/overlays/cpu")),
                        overlay.relativize(root.resolve("k8s/components/external-database"))));
        List<HasMetadata> objects =
                typed(Kustomize.withKubectl(Kustomize.kubectl().get(), overlay));
        assertThat(all(objects, StatefulSet.class)).isEmpty();
        assertThat(all(objects, Service.class))
                .extracting(s -> s.getMetadata().getName())
                .doesNotContain("postgres");
        assertThat(named(objects, ConfigMap.class, "tsr-config").getData().get("SPRING_DATASOURCE_URL"))
                .doesNotContain("//postgres:");
        assertThat(all(objects, Deployment.class)).hasSize(SERVICES.size());
    }

    @Test
    void theJavaRenderingRefusesWhatItDoesNotImplement() throws IOException {
        Path overlay = Files.createTempDirectory(RepositoryFiles.path("deploy-checks/target"), "unsupported");
        Files.writeString(overlay.resolve("kustomization.yaml"), "resources: []\nreplicas: [{name: x, count: 2}]\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kustomize.inJava(overlay))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("replicas");
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null
                && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = labels.get(requirement.getKey());
                boolean ok = switch (requirement.getOperator()) {
                    case "In" -> value != null && requirement.getValues().contains(value);
                    case "NotIn" -> value == null || !requirement.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("operator " + requirement.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
