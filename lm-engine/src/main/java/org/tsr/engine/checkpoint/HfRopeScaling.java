package org.tsr.engine.checkpoint;

import java.nio.file.Path;
import org.tsr.engine.model.Llama3RopeScaling;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.RopeScaling;
import org.tsr.engine.model.UnsupportedArchitectureException;
import org.tsr.engine.model.YarnRopeScaling;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rotary keys of a config.json. transformers 4.x writes {@code rope_theta} and a {@code rope_scaling} object
 * (its type under {@code rope_type}, or {@code type} in older files); 5.x writes one {@code rope_parameters}
 * object that also carries {@code rope_theta}. Both are read; where both objects are present, rope_scaling wins,
 * as in transformers 5. Written back as rope_theta and rope_scaling, which both major versions read.
 */
final class HfRopeScaling {

    private static final double DEFAULT_THETA = 10000.0;

    private static final String SUPPORTED = "default, linear, dynamic, yarn, llama3";

    private HfRopeScaling() {}

    static double theta(JsonNode root) {
        JsonNode parameters = parameters(root);
        return number(parameters.path("rope_theta"), number(root.path("rope_theta"), DEFAULT_THETA));
    }

    static RopeScaling scaling(Path file, JsonNode root, int maxPositionEmbeddings) {
        JsonNode parameters = parameters(root);
        if (parameters.isMissingNode()) {
            return RopeScaling.NONE;
        }
        String key = keyOf(root);
        if (!parameters.isObject()) {
            throw new CheckpointException(file, key + " must be an object or null, got " + parameters);
        }
        if (!parameters.has("rope_type") && !parameters.has("type") && hasObjectValue(parameters)) {
            throw new UnsupportedArchitectureException(
                    file + ": " + key + " per layer type " + parameters + " is not supported");
        }
        double partial =
                number(parameters.path("partial_rotary_factor"), number(root.path("partial_rotary_factor"), 1.0));
        if (partial != 1.0) {
            throw new UnsupportedArchitectureException(
                    file + ": partial_rotary_factor " + partial + " is not supported (the whole head is rotated)");
        }
        String type = text(parameters.path("rope_type"), text(parameters.path("type"), "default"));
        try {
            return switch (type) {
                case "default" -> RopeScaling.NONE;
                case "linear" -> new RopeScaling.Linear(required(file, key, type, parameters, "factor"));
                case "dynamic" -> new RopeScaling.DynamicNtk(required(file, key, type, parameters, "factor"));
                case "llama3" ->
                    new Llama3RopeScaling(
                            required(file, key, type, parameters, "factor"),
                            required(file, key, type, parameters, "low_freq_factor"),
                            required(file, key, type, parameters, "high_freq_factor"),
                            originalMaxPositionEmbeddings(root, parameters, maxPositionEmbeddings));
                case "yarn" -> yarn(root, parameters, maxPositionEmbeddings);
                default ->
                    throw new UnsupportedArchitectureException(
                            file + ": " + key + " rope_type '" + type + "' is not supported; supported: " + SUPPORTED);
            };
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, key + " " + parameters + ": " + e.getMessage(), e);
        }
    }

    static void write(ModelConfig config, ObjectNode root) {
        root.put("rope_theta", config.ropeTheta());
        RopeScaling scaling = config.ropeScaling();
        if (scaling.equals(RopeScaling.NONE)) {
            root.putNull("rope_scaling");
            return;
        }
        ObjectNode out = root.putObject("rope_scaling");
        out.put("rope_type", scaling.type());
        if (scaling instanceof RopeScaling.Linear linear) {
            out.put("factor", linear.factor());
        } else if (scaling instanceof RopeScaling.DynamicNtk dynamic) {
            out.put("factor", dynamic.factor());
        } else if (scaling instanceof Llama3RopeScaling llama3) {
            out.put("factor", llama3.factor());
            out.put("low_freq_factor", llama3.lowFreqFactor());
            out.put("high_freq_factor", llama3.highFreqFactor());
            out.put("original_max_position_embeddings", llama3.originalMaxPositionEmbeddings());
        } else if (scaling instanceof YarnRopeScaling yarn) {
            out.put("factor", yarn.factor());
            out.put("original_max_position_embeddings", yarn.originalMaxPositionEmbeddings());
            // resolved, so a reader need not know how mscale or the factor gave it
            out.put("attention_factor", yarn.attentionFactor());
            out.put("beta_fast", yarn.betaFast());
            out.put("beta_slow", yarn.betaSlow());
            out.put("truncate", yarn.truncate());
        }
    }

    /**
     * transformers 5 reads factor as max_position_embeddings / original when it is absent, and resolves
     * attention_factor from mscale and mscale_all_dim (DeepSeek) or the factor; beta_fast and beta_slow of 0 or
     * absent mean 32 and 1.
     */
    private static YarnRopeScaling yarn(JsonNode root, JsonNode parameters, int maxPositionEmbeddings) {
        int original = originalMaxPositionEmbeddings(root, parameters, maxPositionEmbeddings);
        double factor = number(parameters.path("factor"), (double) maxPositionEmbeddings / original);
        double attentionFactor = number(
                parameters.path("attention_factor"),
                YarnRopeScaling.defaultAttentionFactor(
                        factor, number(parameters.path("mscale"), 0), number(parameters.path("mscale_all_dim"), 0)));
        double betaFast = number(parameters.path("beta_fast"), 0);
        double betaSlow = number(parameters.path("beta_slow"), 0);
        return new YarnRopeScaling(
                factor,
                original,
                attentionFactor,
                betaFast == 0 ? 32 : betaFast,
                betaSlow == 0 ? 1 : betaSlow,
                !parameters.path("truncate").isBoolean()
                        || parameters.get("truncate").asBoolean());
    }

    /**
     * As transformers 5's standardize_rope_params: a top-level original_max_position_embeddings (Phi-3 keeps it
     * there) first, then the rope object's, else max_position_embeddings.
     */
    private static int originalMaxPositionEmbeddings(JsonNode root, JsonNode parameters, int maxPositionEmbeddings) {
        JsonNode topLevel = root.path("original_max_position_embeddings");
        JsonNode own = parameters.path("original_max_position_embeddings");
        return (int) number(topLevel, number(own, maxPositionEmbeddings));
    }

    /** The non-null rope object, rope_scaling first; a missing node when neither is set. */
    private static JsonNode parameters(JsonNode root) {
        JsonNode legacy = root.path("rope_scaling");
        if (!legacy.isMissingNode() && !legacy.isNull()) {
            return legacy;
        }
        JsonNode current = root.path("rope_parameters");
        return current.isNull() ? MissingNode.getInstance() : current;
    }

    private static String keyOf(JsonNode root) {
        JsonNode legacy = root.path("rope_scaling");
        return !legacy.isMissingNode() && !legacy.isNull() ? "rope_scaling" : "rope_parameters";
    }

    private static boolean hasObjectValue(JsonNode parameters) {
        for (var entry : parameters.properties()) {
            if (entry.getValue().isObject()) {
                return true;
            }
        }
        return false;
    }

    /** The value of a numeric node; absent and null (transformers' None) give the fallback. */
    private static double number(JsonNode node, double fallback) {
        return node.isNumber() ? node.asDouble() : fallback;
    }

    private static String text(JsonNode node, String fallback) {
        return node.isString() ? node.asString() : fallback;
    }

    private static double required(Path file, String key, String type, JsonNode parameters, String name) {
        JsonNode value = parameters.path(name);
        if (!value.isNumber()) {
            throw new CheckpointException(file, key + " of rope_type '" + type + "' needs a number '" + name + "'");
        }
        return value.asDouble();
    }
}
