package org.tsr.generator.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/** OpenAI's completion request, the fields this server honours; {@code prompt} and {@code stop}: string or array. */
// OpenAI clients send parameters this server does not implement (user, presence_penalty, stream_options, ...);
// like other OpenAI-compatible servers it ignores them, unlike the platform's own API, which refuses unknown fields
@JsonIgnoreProperties(ignoreUnknown = true)
record CompletionRequest(
        String model,
        JsonNode prompt,
        Integer n,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("max_tokens") Integer maxTokens,
        JsonNode stop,
        Long seed,
        Boolean stream) {}
