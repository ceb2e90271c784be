package org.tsr.engine.scoring;

/**
 * The model's log-probabilities of a response given its prompt.
 *
 * @param tokenLogProbs log p(response token i | prompt, response tokens before i), one per response token
 * @param meanHiddenState the last layer's hidden state averaged over the response tokens, or null when not
 *     requested (or the response is empty)
 */
public record ResponseLikelihood(float[] tokenLogProbs, double sumLogProb, float[] meanHiddenState) {}
