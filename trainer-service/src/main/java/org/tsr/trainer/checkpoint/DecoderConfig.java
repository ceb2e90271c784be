package org.tsr.trainer.checkpoint;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The dimensions a Llama-family {@code config.json} gives, and the tensors, with their shapes, that a model of
 * those dimensions must store under Hugging Face's names.
 */
record DecoderConfig(
        String modelType,
        long hiddenSize,
        long numHiddenLayers,
        long numAttentionHeads,
        long numKeyValueHeads,
        long headDim,
        long vocabSize,
        long intermediateSize,
        boolean tieWordEmbeddings) {

    static final String FILE_NAME = "config.json";

    /** All share the Llama decoder's tensor names; qwen3 adds q_norm and k_norm, qwen2 q, k and v biases. */
    static final Set<String> MODEL_TYPES = Set.of("llama", "qwen2", "qwen3", "mistral");

    static DecoderConfig read(Path folder) {
        JsonNode root = CheckpointJson.readObject(folder, FILE_NAME);
        JsonNode modelType = root.get("model_type");
        if (modelType == null || modelType.isNull()) {
            throw new InvalidCheckpointException(FILE_NAME, "model_type is missing");
        }
        if (!modelType.isString() || !MODEL_TYPES.contains(modelType.asString())) {
            throw new InvalidCheckpointException(
                    FILE_NAME, "model_type " + modelType + " is not a Llama-family model " + MODEL_TYPES);
        }
        long hidden = CheckpointJson.positiveLong(FILE_NAME, root, "hidden_size");
        long layers = CheckpointJson.positiveLong(FILE_NAME, root, "num_hidden_layers");
        long heads = CheckpointJson.positiveLong(FILE_NAME, root, "num_attention_heads");
        long vocab = CheckpointJson.positiveLong(FILE_NAME, root, "vocab_size");
        long intermediate = CheckpointJson.positiveLong(FILE_NAME, root, "intermediate_size");
        long kvHeads = optionalPositive(root, "num_key_value_heads", heads);
        if (heads % kvHeads != 0) {
            throw new InvalidCheckpointException(
                    FILE_NAME, "num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (!root.hasNonNull("head_dim") && hidden % heads != 0) {
            throw new InvalidCheckpointException(
                    FILE_NAME,
                    "head_dim is missing and hidden_size " + hidden + " is not a multiple of num_attention_heads "
                            + heads);
        }
        long headDim = optionalPositive(root, "head_dim", hidden / heads);
        JsonNode tie = root.path("tie_word_embeddings");
        return new DecoderConfig(
                modelType.asString(),
                hidden,
                layers,
                heads,
                kvHeads,
                headDim,
                vocab,
                intermediate,
                tie.isBoolean() && tie.asBoolean());
    }

    /** Every tensor the model cannot run without, by name, with its shape. */
    Map<String, List<Long>> requiredTensors() {
        Map<String, List<Long>> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", List.of(vocabSize, hiddenSize));
        tensors.put("model.norm.weight", List.of(hiddenSize));
        // transformers' Llama-family configs default tie_word_embeddings to false
        if (!tieWordEmbeddings) {
            tensors.put("lm_head.weight", List.of(vocabSize, hiddenSize));
        }
        for (long layer = 0; layer < numHiddenLayers; layer++) {
            String prefix = "model.layers." + layer + ".";
            tensors.put(prefix + "self_attn.q_proj.weight", List.of(queryWidth(), hiddenSize));
            tensors.put(prefix + "self_attn.k_proj.weight", List.of(keyValueWidth(), hiddenSize));
            tensors.put(prefix + "self_attn.v_proj.weight", List.of(keyValueWidth(), hiddenSize));
            tensors.put(prefix + "self_attn.o_proj.weight", List.of(hiddenSize, queryWidth()));
            tensors.put(prefix + "mlp.gate_proj.weight", List.of(intermediateSize, hiddenSize));
            tensors.put(prefix + "mlp.up_proj.weight", List.of(intermediateSize, hiddenSize));
            tensors.put(prefix + "mlp.down_proj.weight", List.of(hiddenSize, intermediateSize));
            tensors.put(prefix + "input_layernorm.weight", List.of(hiddenSize));
            tensors.put(prefix + "post_attention_layernorm.weight", List.of(hiddenSize));
        }
        return tensors;
    }

    /**
     * Tensors some members of the family store (attention biases, qwen3's per-head norms): not required, but when
     * present they must fit the dimensions, since a loader would reject them otherwise.
     */
    Map<String, List<Long>> optionalTensors() {
        Map<String, List<Long>> tensors = new LinkedHashMap<>();
        for (long layer = 0; layer < numHiddenLayers; layer++) {
            String prefix = "model.layers." + layer + ".self_attn.";
            tensors.put(prefix + "q_proj.bias", List.of(queryWidth()));
            tensors.put(prefix + "k_proj.bias", List.of(keyValueWidth()));
            tensors.put(prefix + "v_proj.bias", List.of(keyValueWidth()));
            tensors.put(prefix + "o_proj.bias", List.of(hiddenSize));
            tensors.put(prefix + "q_norm.weight", List.of(headDim));
            tensors.put(prefix + "k_norm.weight", List.of(headDim));
        }
        return tensors;
    }

    private long queryWidth() {
        return numAttentionHeads * headDim;
    }

    private long keyValueWidth() {
        return numKeyValueHeads * headDim;
    }

    private static long optionalPositive(JsonNode root, String field, long fallback) {
        return root.hasNonNull(field) ? CheckpointJson.positiveLong(FILE_NAME, root, field) : fallback;
    }
}
