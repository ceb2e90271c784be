package org.tsr.generator.openai;

import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.HttpStatus;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.engine.sampling.TokenListener;
import tools.jackson.databind.JsonNode;

/**
 * What both endpoints read alike: the model, how to sample, whether to report log-probabilities and whether to stream.
 *
 * @param model the model's name as the client sent it, echoed in the answer
 * @param topLogprobs alternatives to report with each token's log-probability; null for no log-probabilities
 * @param includeUsage a streamed answer ends with a chunk of token counts ({@code stream_options.include_usage})
 */
record AnswerSettings(
        String model,
        long generationId,
        SamplingSettings sampling,
        Integer topLogprobs,
        boolean stream,
        boolean includeUsage) {

    /** Choices per prompt at most: each is decoded on this server, so fewer than OpenAI's 128. */
    static final int MAX_CHOICES = 16;

    /** Stop strings at most, as OpenAI allows. */
    static final int MAX_STOP = 4;

    /**
     * @param maxTokens new tokens per choice as the endpoint names them; OpenAI's legacy default of 16 when null
     */
    static AnswerSettings read(RequestFields fields, Integer maxTokens, Integer topLogprobs) {
        String model = fields.text("model");
        long generationId = generationId(model);
        Long seed = fields.whole("seed");
        SamplingSettings sampling = new SamplingSettings(
                orDefault(fields.integer("n", 1, MAX_CHOICES), 1),
                orDefault(fields.number("temperature", 0, 2), 1.0),
                orDefault(fields.number("top_p", 0, 1), 1.0),
                // not OpenAI's: vLLM's and llama.cpp's extension, which the platform's samplers have too
                orDefault(fields.integer("top_k", 0, Integer.MAX_VALUE), 0),
                orDefault(maxTokens, 16),
                fields.texts("stop", MAX_STOP),
                // without a seed each request draws its own, as OpenAI's samples differ from call to call
                seed != null ? seed : ThreadLocalRandom.current().nextLong());
        boolean stream = fields.flag("stream");
        return new AnswerSettings(
                model, generationId, sampling, topLogprobs, stream, includeUsage(fields.get("stream_options"), stream));
    }

    /** The index of a choice in the answer: the choices of the first prompt, then those of the next. */
    int choiceIndex(int promptIndex, int sampleIndex) {
        return promptIndex * sampling.n() + sampleIndex;
    }

    TokenFeed feed(TokenListener listener) {
        return topLogprobs == null ? TokenFeed.text(listener) : TokenFeed.withLogprobs(listener, topLogprobs);
    }

    /** The generation id behind a model name: "generation-17" or "17". */
    private static long generationId(String model) {
        if (model == null || model.isBlank()) {
            throw OpenAiException.invalid("model", "model is required");
        }
        String digits = model.startsWith(ModelNames.PREFIX) ? model.substring(ModelNames.PREFIX.length()) : model;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new OpenAiException(
                    HttpStatus.NOT_FOUND,
                    "model",
                    "model_not_found",
                    "model '" + model + "' does not exist; GET /v1/models lists them");
        }
    }

    private static boolean includeUsage(JsonNode options, boolean stream) {
        if (options == null) {
            return false;
        }
        if (!stream) {
            throw OpenAiException.invalid("stream_options", "stream_options is only allowed when stream is true");
        }
        if (!options.isObject()) {
            throw OpenAiException.invalid("stream_options", "stream_options must be an object");
        }
        for (String name : options.propertyNames()) {
            // include_obfuscation pads chunks against length side channels; this server adds no padding either way
            if (!name.equals("include_usage") && !name.equals("include_obfuscation")) {
                throw OpenAiException.unknown("stream_options." + name);
            }
        }
        RequestFields.flag(
                RequestFields.present(options.get("include_obfuscation")), "stream_options.include_obfuscation");
        return RequestFields.flag(RequestFields.present(options.get("include_usage")), "stream_options.include_usage");
    }

    private static <T> T orDefault(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
