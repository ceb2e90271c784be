package org.tsr.engine.sampling;

/**
 * A token with its log-probability under the model: the log-softmax of the model's raw logits at that position, before
 * temperature, top-k or top-p shape the distribution the token is drawn from.
 *
 * @param token the token's own text, its special-token name included; a token holding only part of a multi-byte
 *     character decodes to U+FFFD on its own
 */
public record TokenLogprob(int tokenId, String token, double logprob) {}
