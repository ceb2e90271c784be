package org.tsr.engine.training;

/**
 * The loss, the gradient or the updated parameters were not finite on too many steps in a row; the message names
 * which, and the parameters are those of the last good snapshot.
 */
public class NonFiniteLossException extends RuntimeException {

    public NonFiniteLossException(String message) {
        super(message);
    }
}
