package org.tsr.engine.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tsr.engine.TestModels;
import org.tsr.engine.checkpoint.HfConfigFile;
import org.tsr.engine.checkpoint.HfWeights;
import org.tsr.engine.checkpoint.SafetensorsReader;
import org.tsr.engine.checkpoint.SafetensorsWriter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One folder of {@code src/test/resources/parity}: a real model's config.json scaled down, the token ids, the
 * checkpoint's tensors (names, shapes, seed, spread) and the logits that {@code src/test/python/reference_forward.py}
 * computed for them (see the README there). The weights are regenerated here bit for bit as
 * {@code generate_parity_cases.py} drew them.
 */
record ParityCase(String name, Path dir, JsonNode description) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static ParityCase named(String name) {
        try {
            Path dir = Path.of(ParityCase.class.getResource("/parity/" + name).toURI());
            return new ParityCase(name, dir, JSON.readTree(Files.readString(dir.resolve("case.json"))));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("parity case " + name + " cannot be read", e);
        }
    }

    long[] inputIds() {
        JsonNode ids = description.get("input_ids");
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i).asLong();
        }
        return out;
    }

    double tolerance() {
        return description.get("max_abs_difference").asDouble();
    }

    /** Whether the config scales its rotary frequencies, so plain RoPE must give other logits. */
    boolean scalesRope() {
        return description.has("unscaled_max_abs_difference");
    }

    /** The reference logits, (time, vocab) flattened. */
    float[] expectedLogits() {
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("expected_logits.safetensors"))) {
            return reader.readFloats("logits");
        }
    }

    /** A loadable model directory: the case's config.json, its seeded weights and a stand-in tokenizer. */
    Path writeModel(Path target) {
        try {
            return writeModel(target, Files.readString(dir.resolve(HfConfigFile.FILE_NAME)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same weights under the case's config with its rope scaling taken out. */
    Path writeUnscaledModel(Path target) {
        try {
            ObjectNode config = (ObjectNode) JSON.readTree(Files.readString(dir.resolve(HfConfigFile.FILE_NAME)));
            config.remove("rope_scaling");
            JsonNode parameters = config.remove("rope_parameters");
            if (parameters != null && parameters.has("rope_theta")) {
                config.set("rope_theta", parameters.get("rope_theta"));
            }
            return writeModel(target, JSON.writeValueAsString(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeModel(Path target, String configJson) throws IOException {
        Files.createDirectories(target);
        Files.writeString(target.resolve(HfConfigFile.FILE_NAME), configJson);
        long seed = description.get("seed").asLong();
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (JsonNode tensor : description.get("tensors")) {
            String tensorName = tensor.get("name").asString();
            long[] shape = new long[tensor.get("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = tensor.get("shape").get(i).asLong();
                count *= shape[i];
            }
            float[] values = seededValues(
                    seed,
                    tensorName,
                    Math.toIntExact(count),
                    tensor.get("mean").asDouble(),
                    tensor.get("std").asDouble());
            tensors.add(new SafetensorsWriter.Tensor(tensorName, shape, values));
        }
        HfWeights.write(tensors, target, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        // the parity is about logits; the engine only insists that a model directory has a tokenizer
        TestModels.VOCABULARY.writeTo(
                target,
                HfConfigFile.read(target.resolve(HfConfigFile.FILE_NAME)).maxPositionEmbeddings());
        return target;
    }

    /**
     * generate_parity_cases.py's seeded_values: element i is the i-th splitmix64 output from seed XOR
     * fnv1a64(name), its top 53 bits a uniform u in [0, 1), then mean + std * sqrt(3) * (2u - 1) rounded to float.
     */
    static float[] seededValues(long seed, String name, int count, double mean, double std) {
        long state = 0xCBF29CE484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            state = (state ^ (b & 0xff)) * 0x100000001B3L;
        }
        state ^= seed;
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            double u = (z >>> 11) * 0x1.0p-53;
            values[i] = (float) (mean + std * Math.sqrt(3.0) * (2 * u - 1));
        }
        return values;
    }

    @Override
    public String toString() {
        return name;
    }
}
