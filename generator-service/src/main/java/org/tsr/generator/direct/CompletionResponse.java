package org.tsr.generator.direct;

import java.util.List;

/** The samples of each prompt, in the order of the request. */
public record CompletionResponse(long generationId, List<PromptSamples> results) {

    public record PromptSamples(String prompt, List<Sample> samples) {}

    public record Sample(int index, String text, String finishReason, int completionTokens) {}
}
