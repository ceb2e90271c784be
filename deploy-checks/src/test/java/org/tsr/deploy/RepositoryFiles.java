package org.tsr.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository's deployment files, read as the tools that use them would. */
final class RepositoryFiles {

    private RepositoryFiles() {}

    /** The repository root: the build passes it; run from the module folder, it is the parent. */
    static Path root() {
        return Path.of(System.getProperty("tsr.repository", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file or text, as maps; empty documents are left out. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document != null) {
                if (!(document instanceof Map)) {
                    throw new IllegalArgumentException("a YAML document is not a mapping: " + document);
                }
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    static Map<String, Object> yaml(Path file) {
        List<Map<String, Object>> documents = yamlDocuments(read(file));
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + documents.size() + " YAML documents, expected 1");
        }
        return documents.get(0);
    }

    /** The value at a path of map keys, or null where any step is missing. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    /** True for an image reference with an explicit tag (or digest) that is not "latest". */
    static boolean pinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        int colon = lastPart.indexOf(':');
        return colon > 0
                && colon < lastPart.length() - 1
                && !lastPart.substring(colon + 1).equals("latest");
    }
}
