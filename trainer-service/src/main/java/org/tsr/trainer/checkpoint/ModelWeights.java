package org.tsr.trainer.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The tensor headers of a full model's weights in the Hugging Face layout: {@code model.safetensors}, or the shards
 * that {@code model.safetensors.index.json} lists.
 *
 * @param files every safetensors file read, in the order read
 * @param where the file to name in a message about a tensor that is not there
 */
record ModelWeights(List<SafetensorsHeader> files, String where) {

    static final String SINGLE_FILE = "model.safetensors";
    static final String INDEX_FILE = "model.safetensors.index.json";

    static ModelWeights read(Path folder) {
        if (Files.exists(folder.resolve(SINGLE_FILE))) {
            return new ModelWeights(List.of(SafetensorsHeader.read(folder, SINGLE_FILE)), SINGLE_FILE);
        }
        if (!Files.exists(folder.resolve(INDEX_FILE))) {
            throw new InvalidCheckpointException(SINGLE_FILE, "missing, and there is no " + INDEX_FILE + " either");
        }
        Map<String, String> weightMap = weightMap(folder);
        List<SafetensorsHeader> shards = new ArrayList<>();
        for (String shard : new LinkedHashSet<>(weightMap.values())) {
            shards.add(SafetensorsHeader.read(folder, shard));
        }
        ModelWeights weights = new ModelWeights(List.copyOf(shards), INDEX_FILE);
        weights.requireListedTensors(weightMap);
        return weights;
    }

    /** The tensor named {@code name} in whichever file holds it, or null. */
    TensorHeader tensor(String name) {
        for (SafetensorsHeader file : files) {
            TensorHeader tensor = file.tensors().get(name);
            if (tensor != null) {
                return tensor;
            }
        }
        return null;
    }

    private static Map<String, String> weightMap(Path folder) {
        JsonNode weightMap = CheckpointJson.readObject(folder, INDEX_FILE).path("weight_map");
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new InvalidCheckpointException(INDEX_FILE, "weight_map is missing or empty");
        }
        Map<String, String> shards = new LinkedHashMap<>();
        Set<String> checked = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
            String shard = entry.getValue().asString("");
            if (checked.add(shard)) {
                requireShardInFolder(folder, entry.getKey(), shard);
            }
            shards.put(entry.getKey(), shard);
        }
        return shards;
    }

    /** The index comes from another process: a shard name must not lead out of the folder, and must exist. */
    private static void requireShardInFolder(Path folder, String tensor, String shard) {
        Path base = folder.toAbsolutePath().normalize();
        Path file = base.resolve(shard).normalize();
        if (shard.isEmpty() || !base.equals(file.getParent())) {
            throw new InvalidCheckpointException(
                    INDEX_FILE, "tensor " + tensor + " is mapped to '" + shard + "', not a file in the folder");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidCheckpointException(
                    INDEX_FILE, "shard " + shard + " (for tensor " + tensor + ") does not exist");
        }
    }

    private void requireListedTensors(Map<String, String> weightMap) {
        Map<String, SafetensorsHeader> byFile = new LinkedHashMap<>();
        files.forEach(shard -> byFile.put(shard.file(), shard));
        weightMap.forEach((tensor, file) -> {
            if (!byFile.get(file).tensors().containsKey(tensor)) {
                throw new InvalidCheckpointException(
                        file, "tensor " + tensor + " is missing, though " + INDEX_FILE + " lists it here");
            }
        });
    }
}
