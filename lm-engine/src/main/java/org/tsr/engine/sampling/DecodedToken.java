package org.tsr.engine.sampling;

import java.util.List;
import org.tsr.contract.responses.FinishReason;

/**
 * What one decoding step produced for one sequence.
 *
 * @param text the completion's text that this step made final: empty while a token holds part of a character, or
 *     while the text could still turn out to begin a stop string; the pieces of a sequence join to its completion's text
 * @param sampled the sampled token with its log-probability when a {@link TokenFeed} asks for them; null otherwise, and
 *     for an end-of-sequence token, which is not part of the completion
 * @param topLogprobs the most likely tokens at this position, most likely first, as many as the feed asks for
 * @param finishReason why the sequence ended with this step; null while it goes on
 */
public record DecodedToken(
        int promptIndex,
        int sampleIndex,
        String text,
        TokenLogprob sampled,
        List<TokenLogprob> topLogprobs,
        FinishReason finishReason) {

    public DecodedToken {
        topLogprobs = List.copyOf(topLogprobs);
    }

    public boolean isLast() {
        return finishReason != null;
    }
}
