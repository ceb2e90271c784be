package org.tsr.engine.training;

/**
 * Where a run stands, as a training checkpoint records it. The example order of every epoch is a function of
 * the seed and the epoch, so the seed and the step are the whole random state.
 *
 * @param step optimizer steps done (non-finite ones included)
 * @param optimizerSteps AdamW updates made since it last started, for its bias correction
 * @param nonFiniteSteps steps whose loss, gradient or updated parameters were not finite, each rolled back
 * @param examples the size of the dataset, to refuse resuming a different one
 */
public record TrainerState(
        int step, int optimizerSteps, int nonFiniteSteps, int consecutiveNonFinite, int examples, long seed) {

    static TrainerState fresh(int examples, long seed) {
        return new TrainerState(0, 0, 0, 0, examples, seed);
    }

    TrainerState updated(int optimizerSteps) {
        return new TrainerState(step + 1, optimizerSteps, nonFiniteSteps, 0, examples, seed);
    }

    /** A non-finite step: the parameters were rolled back and AdamW started over. */
    TrainerState rolledBack() {
        return new TrainerState(step + 1, 0, nonFiniteSteps + 1, consecutiveNonFinite + 1, examples, seed);
    }
}
