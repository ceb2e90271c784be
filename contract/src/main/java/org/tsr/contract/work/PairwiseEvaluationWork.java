package org.tsr.contract.work;

import java.util.List;

/**
 * The payload of an EVALUATE work unit: a judge generation compares each evaluated response with the reference
 * response to the same prompt, once with each shown first.
 *
 * @param iterationId the iteration whose evaluation the comparisons belong to
 * @param temperature the judge's sampling temperature (0: greedy)
 * @param seed the judge's sampling seed
 * @param template the judge's prompt with {prompt}, {first} and {second}; null: the standard pairwise prompt
 */
public record PairwiseEvaluationWork(
        long iterationId,
        long judgeGenerationId,
        List<Comparison> comparisons,
        double temperature,
        int maxTokens,
        long seed,
        String template) {

    /** An evaluated response and the reference response to the same prompt. */
    public record Comparison(long responseId, long referenceResponseId) {}
}
