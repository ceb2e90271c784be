package org.tsr.engine.training;

/** A training option out of its range; {@link #field()} names it so callers can point at it. */
public class InvalidTrainingOptionException extends IllegalArgumentException {

    private final String field;

    public InvalidTrainingOptionException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
