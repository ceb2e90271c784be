package org.tsr.trainer.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the JSON files of a checkpoint folder, turning every way they can be unusable into one message. */
final class CheckpointJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CheckpointJson() {}

    /** Reads {@code fileName} in {@code folder}, which must exist and hold a JSON object. */
    static JsonNode readObject(Path folder, String fileName) {
        Path file = folder.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new InvalidCheckpointException(fileName, "missing");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidCheckpointException(fileName, "cannot be read: " + e.getMessage(), e);
        }
        return parseObject(fileName, text);
    }

    static JsonNode parseObject(String fileName, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidCheckpointException(fileName, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidCheckpointException(fileName, "not a JSON object");
        }
        return root;
    }

    /** A field that must be an integer above zero. */
    static long positiveLong(String fileName, JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidCheckpointException(fileName, field + " is missing");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() <= 0) {
            throw new InvalidCheckpointException(fileName, field + " must be a positive integer, not " + node);
        }
        return node.asLong();
    }
}
