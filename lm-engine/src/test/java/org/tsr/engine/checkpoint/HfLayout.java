package org.tsr.engine.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The rules a saved Llama-family folder must follow for transformers' {@code from_pretrained} and vLLM's loader,
 * written from their documented layout, not from the engine's writer: a config.json with the fields both read, one
 * {@code model.safetensors} or shards named and indexed as transformers names them, tensor names and shapes as
 * LlamaForCausalLM / Qwen2ForCausalLM / Qwen3ForCausalLM declare them, and one dtype that config.json names.
 */
final class HfLayout {

    private static final Set<String> DTYPES = Set.of("F32", "BF16", "F16");
    private static final Map<String, String> TORCH_NAMES =
            Map.of("F32", "float32", "BF16", "bfloat16", "F16", "float16");

    private final List<String> violations = new ArrayList<>();

    private HfLayout() {}

    /** Every rule {@code dir} breaks, one line each; empty when it follows the layout. */
    static List<String> violations(Path dir) throws IOException {
        HfLayout layout = new HfLayout();
        layout.check(dir);
        return layout.violations;
    }

    private void check(Path dir) throws IOException {
        JsonNode config = HfConfigFile.readJson(dir.resolve("config.json"));
        for (String key : List.of(
                "hidden_size",
                "num_hidden_layers",
                "num_attention_heads",
                "num_key_value_heads",
                "vocab_size",
                "intermediate_size")) {
            if (!config.path(key).isIntegralNumber() || config.path(key).asInt() <= 0) {
                violations.add("config.json: " + key + " must be a positive integer, is " + config.path(key));
            }
        }
        if (!config.path("architectures").isArray()
                || config.path("architectures").isEmpty()) {
            violations.add("config.json: architectures must list the model class");
        }
        if (!config.path("model_type").isString()) {
            violations.add("config.json: model_type missing");
        }
        if (!violations.isEmpty()) {
            return;
        }
        Map<String, TensorEntry> tensors = readTensors(dir);
        checkNamesAndShapes(config, tensors);
        String torchDtype = config.path("torch_dtype").asString("");
        for (TensorEntry tensor : tensors.values()) {
            if (!DTYPES.contains(tensor.dtype().name())) {
                violations.add(tensor.name() + ": dtype " + tensor.dtype() + " is not F32, BF16 or F16");
            } else if (!TORCH_NAMES.get(tensor.dtype().name()).equals(torchDtype)) {
                violations.add(tensor.name() + ": stored as " + tensor.dtype() + " but config.json's torch_dtype is '"
                        + torchDtype + "'");
            }
        }
    }

    /** All tensors of the folder, after checking the file layout and index. */
    private Map<String, TensorEntry> readTensors(Path dir) throws IOException {
        Path single = dir.resolve("model.safetensors");
        Path indexFile = dir.resolve("model.safetensors.index.json");
        if (Files.exists(single)) {
            if (Files.exists(indexFile)) {
                violations.add("both model.safetensors and model.safetensors.index.json: loaders pick one");
            }
            return entriesOf(single);
        }
        if (!Files.exists(indexFile)) {
            violations.add("neither model.safetensors nor model.safetensors.index.json");
            return Map.of();
        }
        JsonNode index = HfConfigFile.readJson(indexFile);
        JsonNode weightMap = index.path("weight_map");
        Map<String, TensorEntry> all = new LinkedHashMap<>();
        Map<String, String> shardOf = new HashMap<>();
        List<String> shardNames = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".safetensors"))
                    .sorted()
                    .forEach(shardNames::add);
        }
        long totalBytes = 0;
        for (int i = 0; i < shardNames.size(); i++) {
            String expected = HfWeights.shardName(i + 1, shardNames.size());
            if (!shardNames.get(i).equals(expected)) {
                violations.add("shard " + shardNames.get(i) + " should be named " + expected);
            }
            for (TensorEntry entry : entriesOf(dir.resolve(shardNames.get(i))).values()) {
                String other = shardOf.put(entry.name(), shardNames.get(i));
                if (other != null) {
                    violations.add(entry.name() + ": in two shards, " + other + " and " + shardNames.get(i));
                }
                if (!shardNames.get(i).equals(weightMap.path(entry.name()).asString(null))) {
                    violations.add(entry.name() + ": in " + shardNames.get(i) + " but weight_map says "
                            + weightMap.path(entry.name()));
                }
                all.put(entry.name(), entry);
                totalBytes += entry.end() - entry.begin();
            }
        }
        for (var mapped : weightMap.properties()) {
            if (!mapped.getValue().asString().equals(shardOf.get(mapped.getKey()))) {
                violations.add("weight_map lists " + mapped.getKey() + " in " + mapped.getValue()
                        + ", which does not hold it");
            }
        }
        long declared = index.path("metadata").path("total_size").asLong(-1);
        if (declared != totalBytes) {
            violations.add("metadata.total_size is " + declared + ", the shards hold " + totalBytes + " tensor bytes");
        }
        return all;
    }

    private void checkNamesAndShapes(JsonNode config, Map<String, TensorEntry> tensors) {
        int hidden = config.get("hidden_size").asInt();
        int heads = config.get("num_attention_heads").asInt();
        int kvHeads = config.get("num_key_value_heads").asInt();
        int headDim = config.path("head_dim").asInt(hidden / heads);
        int intermediate = config.get("intermediate_size").asInt();
        int vocab = config.get("vocab_size").asInt();
        Map<String, long[]> required = new LinkedHashMap<>();
        Map<String, long[]> optional = new LinkedHashMap<>();
        required.put("model.embed_tokens.weight", new long[] {vocab, hidden});
        for (int layer = 0; layer < config.get("num_hidden_layers").asInt(); layer++) {
            String p = "model.layers." + layer + ".";
            required.put(p + "input_layernorm.weight", new long[] {hidden});
            required.put(p + "post_attention_layernorm.weight", new long[] {hidden});
            required.put(p + "self_attn.q_proj.weight", new long[] {(long) heads * headDim, hidden});
            required.put(p + "self_attn.k_proj.weight", new long[] {(long) kvHeads * headDim, hidden});
            required.put(p + "self_attn.v_proj.weight", new long[] {(long) kvHeads * headDim, hidden});
            required.put(p + "self_attn.o_proj.weight", new long[] {hidden, (long) heads * headDim});
            required.put(p + "mlp.gate_proj.weight", new long[] {intermediate, hidden});
            required.put(p + "mlp.up_proj.weight", new long[] {intermediate, hidden});
            required.put(p + "mlp.down_proj.weight", new long[] {hidden, intermediate});
            optional.put(p + "self_attn.q_proj.bias", new long[] {(long) heads * headDim});
            optional.put(p + "self_attn.k_proj.bias", new long[] {(long) kvHeads * headDim});
            optional.put(p + "self_attn.v_proj.bias", new long[] {(long) kvHeads * headDim});
            optional.put(p + "self_attn.o_proj.bias", new long[] {hidden});
            optional.put(p + "self_attn.q_norm.weight", new long[] {headDim});
            optional.put(p + "self_attn.k_norm.weight", new long[] {headDim});
        }
        required.put("model.norm.weight", new long[] {hidden});
        // transformers ties the head by default only where the config says so; an untied head must be stored
        if (!config.path("tie_word_embeddings").asBoolean(false)) {
            required.put("lm_head.weight", new long[] {vocab, hidden});
        }
        for (var want : required.entrySet()) {
            if (!tensors.containsKey(want.getKey())) {
                violations.add(want.getKey() + ": missing");
            }
        }
        for (TensorEntry tensor : tensors.values()) {
            long[] shape =
                    required.containsKey(tensor.name()) ? required.get(tensor.name()) : optional.get(tensor.name());
            if (shape == null) {
                violations.add(tensor.name() + ": not a tensor of "
                        + config.get("architectures").get(0).asString());
            } else if (!Arrays.equals(shape, tensor.shape())) {
                violations.add(tensor.name() + ": shape " + Arrays.toString(tensor.shape()) + ", config.json implies "
                        + Arrays.toString(shape));
            }
        }
    }

    private Map<String, TensorEntry> entriesOf(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(length, 0);
            if (length.getLong(0) % 8 != 0) {
                violations.add(
                        file.getFileName() + ": header of " + length.getLong(0) + " bytes leaves the data unaligned");
            }
        }
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            return reader.entries();
        }
    }
}
