package org.tsr.generator.openai;

import java.util.List;
import java.util.Set;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.engine.tokenizer.ChatMessage;
import tools.jackson.databind.JsonNode;

/** A request to {@code /v1/chat/completions}, read field by field against OpenAI's API. */
record ChatCompletionRequest(AnswerSettings settings, List<ChatMessage> messages) {

    private static final Set<String> IMPLEMENTED = Set.of(
            "model",
            "messages",
            "n",
            "temperature",
            "top_p",
            "top_k",
            "max_tokens",
            "max_completion_tokens",
            "stop",
            "seed",
            "stream",
            "stream_options",
            "logprobs",
            "top_logprobs");

    static ChatCompletionRequest read(JsonNode body) {
        RequestFields fields = RequestFields.of(body);
        UnsupportedParameters.check(fields, IMPLEMENTED, UnsupportedParameters.CHAT);
        // max_tokens is the older name; OpenAI's clients now send max_completion_tokens
        Integer maxTokens = fields.has("max_completion_tokens")
                ? fields.integer("max_completion_tokens", 1, SamplingSettings.MAX_TOKENS)
                : fields.integer("max_tokens", 1, SamplingSettings.MAX_TOKENS);
        boolean logprobs = fields.flag("logprobs");
        Integer top = fields.integer("top_logprobs", 0, TokenFeed.MAX_TOP_LOGPROBS);
        if (top != null && !logprobs) {
            throw OpenAiException.invalid("top_logprobs", "top_logprobs needs logprobs set to true");
        }
        AnswerSettings settings = AnswerSettings.read(fields, maxTokens, logprobs ? (top == null ? 0 : top) : null);
        return new ChatCompletionRequest(settings, ChatMessages.read(fields.get("messages")));
    }
}
