package org.tsr.generator.openai;

import java.util.List;
import java.util.Set;
import org.tsr.contract.sampling.SamplingSettings;
import tools.jackson.databind.JsonNode;

/** A request to the legacy {@code /v1/completions}, read field by field against OpenAI's API. */
record CompletionRequest(AnswerSettings settings, List<String> prompts) {

    /** Prompts per request at most; each has its n choices. */
    static final int MAX_PROMPTS = 16;

    /** Alternatives per token at most in the legacy {@code logprobs}, as OpenAI allows. */
    static final int MAX_LOGPROBS = 5;

    private static final Set<String> IMPLEMENTED = Set.of(
            "model",
            "prompt",
            "n",
            "temperature",
            "top_p",
            "top_k",
            "max_tokens",
            "stop",
            "seed",
            "stream",
            "stream_options",
            "logprobs");

    static CompletionRequest read(JsonNode body) {
        RequestFields fields = RequestFields.of(body);
        UnsupportedParameters.check(fields, IMPLEMENTED, UnsupportedParameters.COMPLETIONS);
        JsonNode prompt = fields.get("prompt");
        if (prompt == null) {
            throw OpenAiException.invalid("prompt", "prompt is required");
        }
        if (prompt.isArray() && prompt.size() > 0 && !prompt.get(0).isString()) {
            throw OpenAiException.unsupported("prompt", "prompts as token ids are not supported; send text");
        }
        List<String> prompts = fields.texts("prompt", MAX_PROMPTS);
        if (prompts.isEmpty()) {
            throw OpenAiException.invalid("prompt", "prompt must not be an empty array");
        }
        AnswerSettings settings = AnswerSettings.read(
                fields,
                fields.integer("max_tokens", 1, SamplingSettings.MAX_TOKENS),
                fields.integer("logprobs", 0, MAX_LOGPROBS));
        return new CompletionRequest(settings, prompts);
    }
}
