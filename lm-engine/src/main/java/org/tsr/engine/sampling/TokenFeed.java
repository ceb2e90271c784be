package org.tsr.engine.sampling;

/**
 * Asks a sampling call to report each token as it is decoded.
 *
 * @param listener gets every decoded token
 * @param logprobs report each sampled token's log-probability
 * @param topLogprobs report this many of the most likely tokens at each position as well (with {@code logprobs} only)
 */
public record TokenFeed(TokenListener listener, boolean logprobs, int topLogprobs) {

    /** The most alternatives per position a feed may ask for: OpenAI's limit. */
    public static final int MAX_TOP_LOGPROBS = 20;

    public TokenFeed {
        if (listener == null) {
            throw new IllegalArgumentException("a token feed needs a listener");
        }
        if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException("topLogprobs must be 0 to " + MAX_TOP_LOGPROBS + ", got " + topLogprobs);
        }
        if (topLogprobs > 0 && !logprobs) {
            throw new IllegalArgumentException("topLogprobs needs logprobs");
        }
    }

    /** The text of each token as it is decoded, without log-probabilities. */
    public static TokenFeed text(TokenListener listener) {
        return new TokenFeed(listener, false, 0);
    }

    /** Text and log-probabilities, with {@code top} alternatives per position. */
    public static TokenFeed withLogprobs(TokenListener listener, int top) {
        return new TokenFeed(listener, true, top);
    }
}
