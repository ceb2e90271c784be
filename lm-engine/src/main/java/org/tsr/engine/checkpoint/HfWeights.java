package org.tsr.engine.checkpoint;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.NamedParameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Model weights in the Hugging Face layout: {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json}. Tensors are read as float32 whatever their stored dtype and
 * written as float32.
 */
public final class HfWeights {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    /** transformers' default shard size */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5L * 1024 * 1024 * 1024;

    private HfWeights() {}

    /** Sets every parameter of a freshly built model from the checkpoint in {@code dir}. */
    public static void load(Path dir, CausalLm model, NDManager manager) {
        Map<String, Path> locations = locateTensors(dir);
        Path missingReportedIn =
                Files.exists(dir.resolve(SINGLE_FILE)) ? dir.resolve(SINGLE_FILE) : dir.resolve(INDEX_FILE);
        Map<Path, SafetensorsReader> readers = new LinkedHashMap<>();
        try {
            for (Path file : new HashSet<>(locations.values())) {
                readers.put(file, SafetensorsReader.open(file));
            }
            rejectUnexpectedTensors(model, readers);
            for (NamedParameter slot : model.namedParameters()) {
                Path file = locations.get(slot.name());
                if (file == null) {
                    throw new CheckpointException(missingReportedIn, slot.name(), "missing");
                }
                SafetensorsReader reader = readers.get(file);
                TensorEntry entry = reader.entries().get(slot.name());
                if (entry == null) {
                    throw new CheckpointException(file, slot.name(), "missing (listed in " + INDEX_FILE + ")");
                }
                if (!Arrays.equals(entry.shape(), slot.shape().getShape())) {
                    throw new CheckpointException(
                            file,
                            slot.name(),
                            "shape " + Arrays.toString(entry.shape()) + " does not match " + slot.shape()
                                    + " required by config.json");
                }
                float[] data = reader.readFloats(slot.name());
                slot.parameter().setArray(manager.create(data, slot.shape()));
            }
        } finally {
            readers.values().forEach(SafetensorsReader::close);
        }
    }

    /**
     * Writes all parameters as float32, sharding when they exceed {@code maxShardBytes}; projections with enabled
     * LoRA adapters are written merged.
     */
    public static void save(CausalLm model, Path dir, long maxShardBytes) {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (NamedParameter slot : model.namedParameters()) {
            float[] data = model.savedValues(slot);
            tensors.add(new SafetensorsWriter.Tensor(slot.name(), slot.shape().getShape(), data));
        }
        write(tensors, dir, maxShardBytes);
    }

    /** Writes tensors in checkpoint layout, sharding when they exceed {@code maxShardBytes}. */
    public static void write(List<SafetensorsWriter.Tensor> tensors, Path dir, long maxShardBytes) {
        deleteExistingWeights(dir);
        List<List<SafetensorsWriter.Tensor>> shards = new ArrayList<>();
        List<SafetensorsWriter.Tensor> current = new ArrayList<>();
        long currentBytes = 0;
        long totalBytes = 0;
        for (SafetensorsWriter.Tensor tensor : tensors) {
            long bytes = 4L * tensor.data().length;
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(tensor);
            currentBytes += bytes;
            totalBytes += bytes;
        }
        shards.add(current);
        if (shards.size() == 1) {
            SafetensorsWriter.write(dir.resolve(SINGLE_FILE), current);
            return;
        }
        ObjectNode index = HfConfigFile.json().createObjectNode();
        index.putObject("metadata").put("total_size", totalBytes);
        ObjectNode weightMap = index.putObject("weight_map");
        for (int i = 0; i < shards.size(); i++) {
            String shardName = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(shardName), shards.get(i));
            for (SafetensorsWriter.Tensor tensor : shards.get(i)) {
                weightMap.put(tensor.name(), shardName);
            }
        }
        HfConfigFile.writeJson(index, dir.resolve(INDEX_FILE));
    }

    private static Map<String, Path> locateTensors(Path dir) {
        Path single = dir.resolve(SINGLE_FILE);
        Path indexFile = dir.resolve(INDEX_FILE);
        Map<String, Path> locations = new LinkedHashMap<>();
        if (Files.exists(single)) {
            try (SafetensorsReader reader = SafetensorsReader.open(single)) {
                reader.entries().keySet().forEach(name -> locations.put(name, single));
            }
            return locations;
        }
        if (!Files.exists(indexFile)) {
            throw new CheckpointException(dir, "no " + SINGLE_FILE + " and no " + INDEX_FILE);
        }
        JsonNode weightMap = HfConfigFile.readJson(indexFile).path("weight_map");
        if (!weightMap.isObject()) {
            throw new CheckpointException(indexFile, "no 'weight_map' object");
        }
        for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
            Path shard = dir.resolve(entry.getValue().asString());
            if (!Files.exists(shard)) {
                throw new CheckpointException(
                        shard, entry.getKey(), "shard file listed in " + INDEX_FILE + " does not exist");
            }
            locations.put(entry.getKey(), shard);
        }
        return locations;
    }

    private static void rejectUnexpectedTensors(CausalLm model, Map<Path, SafetensorsReader> readers) {
        Set<String> expected = new HashSet<>();
        model.namedParameters().forEach(slot -> expected.add(slot.name()));
        for (SafetensorsReader reader : readers.values()) {
            for (String name : reader.entries().keySet()) {
                if (!expected.contains(name) && !isIgnorable(name, model)) {
                    throw new CheckpointException(
                            reader.file(),
                            name,
                            "unexpected tensor for "
                                    + model.config().architecture().className());
                }
            }
        }
    }

    /** Older Llama exports carry rotary buffers; tied models sometimes still store the head. */
    private static boolean isIgnorable(String name, CausalLm model) {
        return name.endsWith("rotary_emb.inv_freq")
                || (name.equals("lm_head.weight") && model.config().tieWordEmbeddings());
    }

    private static void deleteExistingWeights(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.equals(INDEX_FILE) || (name.startsWith("model") && name.endsWith(".safetensors"))) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot replace existing weights: " + e.getMessage(), e);
        }
    }
}
