package org.tsr.trainer.kubernetes;

/**
 * Where a workload stands, as its own status says.
 *
 * @param detail what the status says beyond the phase (a condition's reason and message), for the job's log and error
 */
record WorkloadStatus(Phase phase, String detail) {

    enum Phase {
        PENDING,
        RUNNING,
        SUCCEEDED,
        FAILED;

        boolean terminal() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /** A condition's or a pod's reason and message as one phrase, or null when it has neither. */
    static String detail(String reason, String message) {
        if (message == null || message.isBlank()) {
            return reason;
        }
        return reason == null ? message : reason + ": " + message;
    }

    @Override
    public String toString() {
        String phaseName = phase.name().toLowerCase(java.util.Locale.ROOT);
        return detail == null || detail.isBlank() ? phaseName : phaseName + " (" + detail + ")";
    }
}
