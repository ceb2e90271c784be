package org.tsr.store.run;

/**
 * Where an iteration is. SR walks GENERATING, JUDGING, PAIRING, TRAINING; TSR adds the future-model phases between
 * PAIRING (which builds D1) and TRAINING (which trains on D2). A run that starts from an SFT bootstrap spec first
 * passes through BOOTSTRAPPING. Both end with EVALUATING and JUDGING_EVALUATION, phases with no work when the run does
 * not evaluate (or, for the second, does not evaluate pairwise).
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
    /** Greedy responses of the trained generation (and, first, of M0) to the held-out EVAL prompts. */
    EVALUATING,
    /** A judge generation compares each EVAL response with M0's, in both orders (runs that evaluate pairwise). */
    JUDGING_EVALUATION,
    DONE
}
