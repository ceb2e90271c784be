package org.tsr.engine.scoring;

import ai.djl.ndarray.NDArray;

/**
 * Batched log-probabilities as native arrays, differentiable when computed under a gradient collector.
 *
 * @param tokenLogProbs (batch, time - 1): at slot t, log p(token t+1 | tokens up to t), zero outside the
 *     response
 * @param responseMask (batch, time - 1) float32: 1 where slot t predicts a response token
 * @param hiddenStates (batch, time, hidden) last-layer hidden states
 */
public record ResponseLogProbs(NDArray tokenLogProbs, NDArray responseMask, NDArray hiddenStates) {

    /** Summed log-probability of each response, shape (batch). */
    public NDArray sums() {
        return tokenLogProbs.sum(new int[] {1});
    }

    /** Number of response tokens of each row, shape (batch). */
    public NDArray responseLengths() {
        return responseMask.sum(new int[] {1});
    }
}
