package org.tsr.engine.sampling;

/**
 * Receives the tokens of a sampling call as they are decoded, on the decoding thread: for each decoding step, one call
 * per live sequence, in the order of their prompts and then their sample indices. Whatever it throws ends the call
 * with that exception, which is how a caller whose reader has gone away stops the decoding.
 */
@FunctionalInterface
public interface TokenListener {

    void onToken(DecodedToken token);
}
