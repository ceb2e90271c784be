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
import org.tsr.engine.model.InferenceMode;
import org.tsr.engine.model.NamedParameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Model weights in the Hugging Face layout: {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json}. Tensors are read as float32 whatever their stored dtype, in chunks so
 * that none passes whole through the heap; a save writes each back in the dtype it was loaded from, streamed from
 * native memory, and shards the way transformers does ({@code model-00001-of-00003.safetensors} plus the index)
 * once the weights exceed the shard size.
 */
public final class HfWeights {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    /** transformers' default shard size */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5L * 1024 * 1024 * 1024;

    private HfWeights() {}

    /**
     * Sets every parameter of a freshly built model from the checkpoint in {@code dir}.
     *
     * @return each parameter's stored dtype, by checkpoint name, for {@link #save} to write it back in
     */
    public static Map<String, TensorDtype> load(Path dir, CausalLm model, NDManager manager) {
        Map<String, Path> locations = locateTensors(dir);
        Path missingReportedIn =
                Files.exists(dir.resolve(SINGLE_FILE)) ? dir.resolve(SINGLE_FILE) : dir.resolve(INDEX_FILE);
        Map<Path, SafetensorsReader> readers = new LinkedHashMap<>();
        Map<String, TensorDtype> dtypes = new LinkedHashMap<>();
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
                slot.parameter().setArray(reader.readArray(slot.name(), manager));
                dtypes.put(slot.name(), entry.dtype());
            }
            return dtypes;
        } finally {
            readers.values().forEach(SafetensorsReader::close);
        }
    }

    /**
     * Writes all parameters, each in its entry of {@code dtypes} (float32 where it has none), sharding when they
     * exceed {@code maxShardBytes}; projections with enabled LoRA adapters are written merged.
     */
    public static void save(CausalLm model, Path dir, long maxShardBytes, Map<String, TensorDtype> dtypes) {
        List<SafetensorsWriter.NativeTensor> tensors = new ArrayList<>();
        for (NamedParameter slot : model.namedParameters()) {
            tensors.add(new SafetensorsWriter.NativeTensor(
                    slot.name(),
                    slot.shape().getShape(),
                    dtypes.getOrDefault(slot.name(), TensorDtype.F32),
                    () -> model.savedArray(slot)));
        }
        // a merged LoRA weight is computed while its turn comes; no gradients are recorded for it
        try (InferenceMode noGradients = InferenceMode.enter()) {
            write(tensors, dir, maxShardBytes);
        }
    }

    /** Writes tensors in checkpoint layout, sharding when they exceed {@code maxShardBytes}. */
    public static void write(List<? extends SafetensorsWriter.Entry> tensors, Path dir, long maxShardBytes) {
        deleteExistingWeights(dir);
        List<List<SafetensorsWriter.Entry>> shards = new ArrayList<>();
        List<SafetensorsWriter.Entry> current = new ArrayList<>();
        long currentBytes = 0;
        long totalBytes = 0;
        for (SafetensorsWriter.Entry tensor : tensors) {
            long bytes = tensor.byteSize();
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
            String shardName = shardName(i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(shardName), shards.get(i));
            for (SafetensorsWriter.Entry tensor : shards.get(i)) {
                weightMap.put(tensor.name(), shardName);
            }
        }
        HfConfigFile.writeJson(index, dir.resolve(INDEX_FILE));
    }

    /** transformers' shard names, e.g. {@code model-00001-of-00003.safetensors}. */
    static String shardName(int number, int count) {
        return String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", number, count);
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
