package org.tsr.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.tsr.engine.model.Architecture;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.UnsupportedArchitectureException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the Hugging Face {@code config.json} of a Llama-family model (Llama, Qwen2, Qwen3, Mistral).
 * Absent keys take LlamaConfig's defaults, except an absent head_dim, which is derived per family as
 * transformers derives it; the rotary keys are read by {@link HfRopeScaling}.
 */
public final class HfConfigFile {

    public static final String FILE_NAME = "config.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The keys a saved config takes from the engine even when the source had them. */
    private static final Set<String> OVERWRITTEN_KEYS = Set.of(
            "architectures",
            "model_type",
            "vocab_size",
            "hidden_size",
            "intermediate_size",
            "num_hidden_layers",
            "num_attention_heads",
            "num_key_value_heads",
            "head_dim",
            "max_position_embeddings",
            "tie_word_embeddings",
            "torch_dtype");

    private HfConfigFile() {}

    public static ModelConfig read(Path file) {
        JsonNode root = readJson(file);
        JsonNode architectures = root.path("architectures");
        if (!architectures.isArray() || architectures.isEmpty()) {
            throw new CheckpointException(file, "no 'architectures' entry");
        }
        Architecture architecture;
        try {
            architecture = Architecture.fromClassName(architectures.get(0).asString());
        } catch (UnsupportedArchitectureException e) {
            throw new UnsupportedArchitectureException(file + ": " + e.getMessage());
        }
        rejectUnsupportedFeatures(file, root);
        int hidden = requiredInt(file, root, "hidden_size");
        int heads = requiredInt(file, root, "num_attention_heads");
        boolean attentionBias = root.path("attention_bias").asBoolean(false);
        // Qwen2 always has q/k/v biases and no o_proj bias; Llama's and Qwen3's attention_bias covers all four
        boolean qkvBias = switch (architecture) {
            case QWEN2 -> true;
            case LLAMA, QWEN3 -> attentionBias;
            case MISTRAL -> false;
        };
        boolean outputBias =
                (architecture == Architecture.LLAMA || architecture == Architecture.QWEN3) && attentionBias;
        int maxPositions = root.path("max_position_embeddings").asInt(2048);
        try {
            return new ModelConfig(
                    architecture,
                    requiredInt(file, root, "vocab_size"),
                    hidden,
                    requiredInt(file, root, "intermediate_size"),
                    requiredInt(file, root, "num_hidden_layers"),
                    heads,
                    root.path("num_key_value_heads").asInt(heads),
                    headDim(architecture, root, hidden, heads),
                    maxPositions,
                    root.path("rms_norm_eps").asDouble(1e-6),
                    HfRopeScaling.theta(root),
                    HfRopeScaling.scaling(file, root, maxPositions),
                    root.path("tie_word_embeddings").asBoolean(false),
                    qkvBias,
                    outputBias,
                    firstInt(root.path("bos_token_id"), 1),
                    firstInt(root.path("eos_token_id"), 2),
                    slidingWindow(architecture, root));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
    }

    /** Writes the config of a model made here (no source config.json), with float32 weights. */
    public static void write(ModelConfig config, Path file) {
        writeJson(ownFields(config, TensorDtype.F32), file);
    }

    /**
     * Writes the config of a model loaded from {@code source} (the parsed original config.json): every key of
     * the source survives, so fields the engine does not read (auto_map, token id lists, transformers_version,
     * model-specific settings) reach vLLM and transformers as they were. The engine's own fields overwrite only the
     * shape keys and the dtype, which the saved weights must match; elsewhere they fill in what the source lacks.
     */
    public static void write(ModelConfig config, ObjectNode source, TensorDtype dtype, Path file) {
        ObjectNode own = ownFields(config, dtype);
        ObjectNode merged = source.deepCopy();
        // transformers 5 writes rope_parameters instead of rope_theta and rope_scaling; mixing both confuses it
        boolean ropeParameters = merged.has("rope_parameters");
        for (var field : own.properties()) {
            String name = field.getKey();
            boolean rotary = name.equals("rope_theta") || name.equals("rope_scaling");
            if (OVERWRITTEN_KEYS.contains(name) || (!merged.has(name) && !(rotary && ropeParameters))) {
                merged.set(name, field.getValue());
            }
        }
        if (merged.has("dtype")) {
            // transformers 5's name for torch_dtype
            merged.put("dtype", dtype.torchName());
        }
        writeJson(merged, file);
    }

    /** A config.json as parsed JSON, for a later {@link #write(ModelConfig, ObjectNode, TensorDtype, Path)}. */
    public static ObjectNode readSource(Path file) {
        if (!(readJson(file) instanceof ObjectNode root)) {
            throw new CheckpointException(file, "not a JSON object");
        }
        return root;
    }

    private static ObjectNode ownFields(ModelConfig config, TensorDtype dtype) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add(config.architecture().className());
        root.put("model_type", config.architecture().modelType());
        root.put("vocab_size", config.vocabSize());
        root.put("hidden_size", config.hiddenSize());
        root.put("intermediate_size", config.intermediateSize());
        root.put("num_hidden_layers", config.numHiddenLayers());
        root.put("num_attention_heads", config.numAttentionHeads());
        root.put("num_key_value_heads", config.numKeyValueHeads());
        root.put("head_dim", config.headDim());
        root.put("max_position_embeddings", config.maxPositionEmbeddings());
        root.put("rms_norm_eps", config.rmsNormEps());
        HfRopeScaling.write(config, root);
        root.put("hidden_act", "silu");
        root.put("tie_word_embeddings", config.tieWordEmbeddings());
        if (config.architecture() == Architecture.LLAMA || config.architecture() == Architecture.QWEN3) {
            root.put("attention_bias", config.qkvBias());
        }
        if (config.architecture() == Architecture.LLAMA) {
            root.put("mlp_bias", false);
        }
        if (config.architecture() != Architecture.LLAMA) {
            if (config.slidingWindow() > 0) {
                root.put("sliding_window", config.slidingWindow());
            } else {
                root.putNull("sliding_window");
            }
            if (config.architecture() == Architecture.QWEN2 || config.architecture() == Architecture.QWEN3) {
                root.put("use_sliding_window", config.slidingWindow() > 0);
            }
        }
        root.put("attention_dropout", 0.0);
        root.put("initializer_range", 0.02);
        root.put("bos_token_id", config.bosTokenId());
        root.put("eos_token_id", config.eosTokenId());
        root.put("torch_dtype", dtype.torchName());
        root.put("use_cache", true);
        return root;
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new CheckpointException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static void writeJson(JsonNode node, Path file) {
        try {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot write: " + e.getMessage(), e);
        }
    }

    static JsonMapper json() {
        return JSON;
    }

    /** Qwen3 configs may leave head_dim out, and then transformers uses 128, not hidden_size / heads. */
    private static int headDim(Architecture architecture, JsonNode root, int hidden, int heads) {
        if (root.hasNonNull("head_dim")) {
            return root.get("head_dim").asInt();
        }
        return architecture == Architecture.QWEN3 ? 128 : hidden / heads;
    }

    /** Mistral slides whenever sliding_window is set; Qwen2 and Qwen3 only with use_sliding_window. */
    private static int slidingWindow(Architecture architecture, JsonNode root) {
        boolean slides = switch (architecture) {
            case MISTRAL -> true;
            case QWEN2, QWEN3 -> root.path("use_sliding_window").asBoolean(false);
            case LLAMA -> false;
        };
        return slides && root.path("sliding_window").isIntegralNumber()
                ? root.get("sliding_window").asInt()
                : 0;
    }

    private static void rejectUnsupportedFeatures(Path file, JsonNode root) {
        String activation = root.path("hidden_act").asString("silu");
        if (!activation.equals("silu")) {
            throw new UnsupportedArchitectureException(file + ": hidden_act '" + activation + "' is not supported");
        }
        if (root.path("mlp_bias").asBoolean(false)) {
            throw new UnsupportedArchitectureException(file + ": mlp_bias is not supported");
        }
    }

    private static int requiredInt(Path file, JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || !node.isIntegralNumber()) {
            throw new CheckpointException(file, "missing or non-integer '" + name + "'");
        }
        return node.asInt();
    }

    /** eos_token_id may be a single id or a list of ids. */
    static int firstInt(JsonNode node, int fallback) {
        if (node.isArray() && !node.isEmpty()) {
            return node.get(0).asInt();
        }
        return node.isIntegralNumber() ? node.asInt() : fallback;
    }
}
