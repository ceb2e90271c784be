package org.tsr.generator.openai;

import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.tsr.contract.sampling.SamplingSettings;
import tools.jackson.databind.JsonNode;

/** Reads OpenAI request parameters into the platform's terms, with OpenAI's defaults. */
final class OpenAiParameters {

    private OpenAiParameters() {}

    /** The generation id behind a model name: "generation-17" or "17". */
    static long generationId(String model) {
        if (model == null || model.isBlank()) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "model", "model is required");
        }
        String digits = model.startsWith(ModelNames.PREFIX) ? model.substring(ModelNames.PREFIX.length()) : model;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new OpenAiException(
                    HttpStatus.NOT_FOUND, "model", "model '" + model + "' does not exist; GET /v1/models lists them");
        }
    }

    /** OpenAI's defaults: n 1, temperature 1, top-p 1, 16 tokens. */
    static SamplingSettings sampling(
            Integer n, Double temperature, Double topP, Integer topK, Integer maxTokens, JsonNode stop, Long seed) {
        return new SamplingSettings(
                n == null ? 1 : n,
                temperature == null ? 1.0 : temperature,
                topP == null ? 1.0 : topP,
                topK == null ? 0 : topK,
                maxTokens == null ? 16 : maxTokens,
                strings(stop, "stop"),
                seed == null ? 0 : seed);
    }

    /** A string or an array of strings. */
    static List<String> strings(JsonNode node, String param) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return values;
        }
        if (node.isString()) {
            values.add(node.asString());
            return values;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (!element.isString()) {
                    throw new OpenAiException(HttpStatus.BAD_REQUEST, param, param + " must hold strings only");
                }
                values.add(element.asString());
            }
            return values;
        }
        throw new OpenAiException(HttpStatus.BAD_REQUEST, param, param + " must be a string or an array of strings");
    }

    /** The OpenAI name of a sampling field, for error messages. */
    static String openAiName(String field) {
        return switch (field) {
            case "topP" -> "top_p";
            case "topK" -> "top_k";
            case "maxTokens" -> "max_tokens";
            default -> field;
        };
    }
}
