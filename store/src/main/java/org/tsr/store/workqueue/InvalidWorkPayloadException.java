package org.tsr.store.workqueue;

/** A work unit's payload is missing, not JSON, or not a JSON object. */
public class InvalidWorkPayloadException extends IllegalArgumentException {

    public InvalidWorkPayloadException(String message) {
        super(message);
    }
}
