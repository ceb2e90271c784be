package org.tsr.generator.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.tsr.inference.GeneratedText;

/** OpenAI's token counts of an answer. */
record Usage(
        @JsonProperty("prompt_tokens") int promptTokens,
        @JsonProperty("completion_tokens") int completionTokens,
        @JsonProperty("total_tokens") int totalTokens) {

    /**
     * Each prompt's tokens once, however many choices it has (the engine encodes it once); every choice's tokens, an
     * end-of-sequence token included, as OpenAI counts them.
     */
    static Usage of(List<List<GeneratedText>> samples) {
        int prompt = 0;
        int completion = 0;
        for (List<GeneratedText> choices : samples) {
            prompt += choices.isEmpty() ? 0 : choices.get(0).promptTokens();
            for (GeneratedText choice : choices) {
                completion += choice.completionTokens();
            }
        }
        return new Usage(prompt, completion, prompt + completion);
    }
}
