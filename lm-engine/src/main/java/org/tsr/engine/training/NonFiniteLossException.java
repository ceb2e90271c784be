package org.tsr.engine.training;

/** The loss or the gradient stayed non-finite for too many steps in a row; the weights are those before them. */
public class NonFiniteLossException extends RuntimeException {

    public NonFiniteLossException(String message) {
        super(message);
    }
}
