package org.tsr.generator.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/** OpenAI's completion request, the fields this server honours; {@code prompt} and {@code stop}: string or array. */
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
