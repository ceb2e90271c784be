package org.tsr.store.run;

/**
 * Where an iteration is. SR walks GENERATING, JUDGING, PAIRING, TRAINING; TSR adds the future-model phases between
 * PAIRING (which builds D1) and TRAINING (which trains on D2).
 */
public enum IterationPhase {
    PENDING,
    GENERATING,
    JUDGING,
    PAIRING,
    TRAINING_FUTURE,
    GENERATING_FUTURE,
    JUDGING_FUTURE,
    PAIRING_FUTURE,
    TRAINING,
    EVALUATING,
    DONE
}
