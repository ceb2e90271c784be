package org.tsr.engine.training;

/**
 * Where a run stands, as a training checkpoint records it. The example order of every epoch is a function of
 * the seed and the epoch, so the seed and the step are the whole random state.
 *
 * @param step optimizer steps done (skipped ones included)
 * @param optimizerSteps AdamW updates made, for its bias correction
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

    TrainerState skipped() {
        return new TrainerState(step + 1, optimizerSteps, nonFiniteSteps + 1, consecutiveNonFinite + 1, examples, seed);
    }
}
