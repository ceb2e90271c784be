package org.tsr.engine.sampling;

import org.tsr.contract.responses.FinishReason;

/**
 * One sampled completion.
 *
 * @param tokenIds the generated ids, without the end-of-sequence token that stopped it
 * @param completionTokens tokens generated, the end-of-sequence token included
 */
public record Completion(
        int promptIndex,
        int sampleIndex,
        String text,
        long[] tokenIds,
        FinishReason finishReason,
        int promptTokens,
        int completionTokens) {}
