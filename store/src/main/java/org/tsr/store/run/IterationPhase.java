package org.tsr.store.run;

/**
 * Where an iteration is. SR walks GENERATING, JUDGING, PAIRING, TRAINING; TSR adds the future-model phases between
 * PAIRING (which builds D1) and TRAINING (which trains on D2). A run that starts from an SFT bootstrap spec first
 * passes through BOOTSTRAPPING.
 */
public enum IterationPhase {
    PENDING,
    /** The run's first iteration trains its M0 by SFT before anything is sampled. */
    BOOTSTRAPPING,
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
