package org.tsr.generator.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** OpenAI's chat completion request, the fields this server honours. */
record ChatCompletionRequest(
        String model,
        List<Message> messages,
        Integer n,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        JsonNode stop,
        Long seed,
        Boolean stream) {

    record Message(String role, JsonNode content) {}
}
