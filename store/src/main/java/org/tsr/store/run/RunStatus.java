package org.tsr.store.run;

public enum RunStatus {
    PENDING,
    RUNNING,
    /** Waiting for a request to start the next iteration (manual mode), or paused by a user. */
    PAUSED,
    SUCCEEDED,
    FAILED,
    CANCELLED
}
