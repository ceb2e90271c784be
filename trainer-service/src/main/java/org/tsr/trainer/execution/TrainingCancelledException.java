package org.tsr.trainer.execution;

/** The job's run was cancelled while it trained; the executor stopped its trainer. */
public class TrainingCancelledException extends RuntimeException {

    public TrainingCancelledException(String message) {
        super(message);
    }
}
