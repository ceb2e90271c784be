package org.tsr.trainer.job;

/**
 * A job that cannot be trained as asked (an unknown or unusable generation, an empty dataset, a value out of
 * range); retrying does not help. {@link #field()} names the request field at fault.
 */
public class InvalidTrainingJobException extends RuntimeException {

    private final String field;
    private final boolean notFound;

    private InvalidTrainingJobException(String field, String message, boolean notFound, Throwable cause) {
        super(message, cause);
        this.field = field;
        this.notFound = notFound;
    }

    public static InvalidTrainingJobException invalid(String field, String message) {
        return new InvalidTrainingJobException(field, message, false, null);
    }

    public static InvalidTrainingJobException invalid(String field, String message, Throwable cause) {
        return new InvalidTrainingJobException(field, message, false, cause);
    }

    public static InvalidTrainingJobException notFound(String field, String message) {
        return new InvalidTrainingJobException(field, message, true, null);
    }

    public String field() {
        return field;
    }

    /** The request named something the store does not have. */
    public boolean isNotFound() {
        return notFound;
    }
}
