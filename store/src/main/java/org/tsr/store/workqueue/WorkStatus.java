package org.tsr.store.workqueue;

public enum WorkStatus {
    /** Waiting to be claimed (again, after a failed attempt or an expired lease). */
    PENDING,
    /** Leased by a worker until its lease expires. */
    RUNNING,
    DONE,
    /** Out of attempts; {@code last_error} says why. */
    FAILED
}
