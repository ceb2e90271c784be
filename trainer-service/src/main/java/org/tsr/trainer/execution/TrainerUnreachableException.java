package org.tsr.trainer.execution;

/**
 * This attempt cannot follow its trainer for now (the Kubernetes API is unreachable or busy, the worker is shutting
 * down) although the trainer itself may be fine: the attempt fails without failing the job, and the next attempt
 * re-attaches to the trainer where it is.
 */
public class TrainerUnreachableException extends RuntimeException {

    public TrainerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
