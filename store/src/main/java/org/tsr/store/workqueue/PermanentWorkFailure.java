package org.tsr.store.workqueue;

/** A failure that retrying cannot fix (a payload that names a missing model, say): the unit fails at once. */
public class PermanentWorkFailure extends RuntimeException {

    public PermanentWorkFailure(String message) {
        super(message);
    }

    public PermanentWorkFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
