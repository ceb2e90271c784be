package org.tsr.engine.model;

/** A config.json that asks for an architecture or feature this engine does not implement. */
public class UnsupportedArchitectureException extends RuntimeException {

    public UnsupportedArchitectureException(String message) {
        super(message);
    }
}
