package org.tsr.engine.training;

import ai.djl.ndarray.NDArray;

/**
 * One forward pass's loss and what the metrics need from it.
 *
 * @param loss scalar, the mean over the batch, differentiable
 * @param tokens prompt and response tokens the pass read (padding excluded)
 * @param pairs the DPO statistics of each pair, or null for objectives without pairs
 */
public record BatchLoss(NDArray loss, int rows, long tokens, PairStats pairs) {

    /**
     * Per-pair values copied to Java, as TRL reports them.
     *
     * @param chosenRewards beta * (policy - reference) log-probability of the chosen response
     * @param chosenLogps the policy's log-probabilities of the chosen responses (normalised by length when
     *     the objective is)
     */
    public record PairStats(
            float[] chosenRewards, float[] rejectedRewards, float[] chosenLogps, float[] rejectedLogps) {}
}
