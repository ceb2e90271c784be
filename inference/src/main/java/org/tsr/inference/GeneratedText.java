package org.tsr.inference;

import org.tsr.contract.responses.FinishReason;

/** One sample for one prompt, whichever backend produced it. */
public record GeneratedText(
        int promptIndex,
        int sampleIndex,
        String text,
        int promptTokens,
        int completionTokens,
        FinishReason finishReason) {}
