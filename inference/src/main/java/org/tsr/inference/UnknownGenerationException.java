package org.tsr.inference;

/** A request named a model generation the store does not have, or one that cannot generate yet. */
public class UnknownGenerationException extends RuntimeException {

    public UnknownGenerationException(String message) {
        super(message);
    }
}
