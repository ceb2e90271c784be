package org.tsr.generator.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** OpenAI's chat completion request, the fields this server honours. */
// OpenAI clients send parameters this server does not implement (user, presence_penalty, stream_options, ...);
// like other OpenAI-compatible servers it ignores them, unlike the platform's own API, which refuses unknown fields
@JsonIgnoreProperties(ignoreUnknown = true)
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

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Message(String role, JsonNode content) {}
}
