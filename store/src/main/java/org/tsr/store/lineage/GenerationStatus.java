package org.tsr.store.lineage;

public enum GenerationStatus {
    /** Registered, weights not written yet. */
    PENDING,
    TRAINING,
    /** Weights exist at the checkpoint URI; the generation can generate, judge and be trained from. */
    READY,
    FAILED,
    /** A future model after its iteration: it is not used again, its checkpoint stays recorded. */
    DISCARDED
}
