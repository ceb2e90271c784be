package org.tsr.engine.training;

/**
 * How a training run optimises, whatever its objective.
 *
 * @param learningRate the peak learning rate, reached at the end of warm-up
 * @param minLearningRate where the decay ends on the last step (the SR paper decays 1e-6 to 1e-7)
 * @param schedule the decay after warm-up
 * @param warmupSteps optimizer steps of linear warm-up from near zero to the peak
 * @param weightDecay AdamW's decoupled decay, applied to matrices only (not to norms and biases, as
 *     transformers' trainers do)
 * @param maxGradNorm the global gradient norm is scaled down to this; 0 turns clipping off
 * @param epochs passes over the examples
 * @param batchSize examples (SFT) or pairs (DPO) per forward pass
 * @param gradientAccumulationSteps forward passes whose gradients make one optimizer step
 * @param seed decides the example order of every epoch, the only randomness of a run
 * @param maxConsecutiveNonFiniteSteps non-finite steps in a row that fail the run; each one restores the last good
 *     parameters and restarts AdamW
 * @param checkpointEvery optimizer steps between training checkpoints; 0 writes none
 * @param snapshotEvery optimizer steps between in-memory copies of the trainable parameters that a non-finite step
 *     rolls back to; 1 copies on every good step
 */
public record TrainingOptions(
        double learningRate,
        double minLearningRate,
        LearningRateSchedule.Kind schedule,
        int warmupSteps,
        double weightDecay,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double maxGradNorm,
        int epochs,
        int batchSize,
        int gradientAccumulationSteps,
        long seed,
        int maxConsecutiveNonFiniteSteps,
        int checkpointEvery,
        int snapshotEvery) {

    public TrainingOptions {
        require(learningRate > 0 && learningRate <= 1, "learningRate", "must be in (0, 1], got " + learningRate);
        require(
                minLearningRate >= 0 && minLearningRate <= learningRate,
                "minLearningRate",
                "must be in [0, learningRate], got " + minLearningRate);
        require(schedule != null, "schedule", "is required");
        require(warmupSteps >= 0, "warmupSteps", "must be >= 0, got " + warmupSteps);
        require(weightDecay >= 0 && weightDecay < 1, "weightDecay", "must be in [0, 1), got " + weightDecay);
        require(adamBeta1 >= 0 && adamBeta1 < 1, "adamBeta1", "must be in [0, 1), got " + adamBeta1);
        require(adamBeta2 >= 0 && adamBeta2 < 1, "adamBeta2", "must be in [0, 1), got " + adamBeta2);
        require(adamEpsilon > 0, "adamEpsilon", "must be > 0, got " + adamEpsilon);
        require(maxGradNorm >= 0, "maxGradNorm", "must be >= 0, got " + maxGradNorm);
        require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        require(batchSize >= 1, "batchSize", "must be >= 1, got " + batchSize);
        require(
                gradientAccumulationSteps >= 1,
                "gradientAccumulationSteps",
                "must be >= 1, got " + gradientAccumulationSteps);
        require(
                maxConsecutiveNonFiniteSteps >= 1,
                "maxConsecutiveNonFiniteSteps",
                "must be >= 1, got " + maxConsecutiveNonFiniteSteps);
        require(checkpointEvery >= 0, "checkpointEvery", "must be >= 0, got " + checkpointEvery);
        require(snapshotEvery >= 1, "snapshotEvery", "must be >= 1, got " + snapshotEvery);
    }

    /**
     * AdamW at 1e-5 decaying linearly to 0, no warm-up or weight decay, clipping at norm 1, one epoch of 16 examples per
     * step, no checkpoints.
     */
    public static TrainingOptions defaults() {
        return builder().build();
    }

    /** Options that start from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options that start from these. */
    public Builder toBuilder() {
        return new Builder()
                .learningRate(learningRate, minLearningRate)
                .schedule(schedule, warmupSteps)
                .regularisation(weightDecay, maxGradNorm)
                .adam(adamBeta1, adamBeta2, adamEpsilon)
                .batches(epochs, batchSize, gradientAccumulationSteps)
                .seed(seed)
                .maxConsecutiveNonFiniteSteps(maxConsecutiveNonFiniteSteps)
                .checkpointEvery(checkpointEvery)
                .snapshotEvery(snapshotEvery);
    }

    /** Collects options; {@link #build()} checks them all, naming the first one out of range. */
    public static final class Builder {

        private double learningRate = 1e-5;
        private double minLearningRate = 0;
        private LearningRateSchedule.Kind schedule = LearningRateSchedule.Kind.LINEAR;
        private int warmupSteps = 0;
        private double weightDecay = 0.0;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private double maxGradNorm = 1.0;
        private int epochs = 1;
        private int batchSize = 16;
        private int gradientAccumulationSteps = 1;
        private long seed = 42;
        private int maxConsecutiveNonFiniteSteps = 2;
        private int checkpointEvery = 0;
        private int snapshotEvery = 1;

        private Builder() {}

        /** The peak learning rate and where the decay ends. */
        public Builder learningRate(double peak, double min) {
            this.learningRate = peak;
            this.minLearningRate = min;
            return this;
        }

        public Builder schedule(LearningRateSchedule.Kind schedule, int warmupSteps) {
            this.schedule = schedule;
            this.warmupSteps = warmupSteps;
            return this;
        }

        public Builder regularisation(double weightDecay, double maxGradNorm) {
            this.weightDecay = weightDecay;
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        public Builder adam(double beta1, double beta2, double epsilon) {
            this.adamBeta1 = beta1;
            this.adamBeta2 = beta2;
            this.adamEpsilon = epsilon;
            return this;
        }

        public Builder batches(int epochs, int batchSize, int gradientAccumulationSteps) {
            this.epochs = epochs;
            this.batchSize = batchSize;
            this.gradientAccumulationSteps = gradientAccumulationSteps;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder maxConsecutiveNonFiniteSteps(int steps) {
            this.maxConsecutiveNonFiniteSteps = steps;
            return this;
        }

        public Builder checkpointEvery(int steps) {
            this.checkpointEvery = steps;
            return this;
        }

        public Builder snapshotEvery(int steps) {
            this.snapshotEvery = steps;
            return this;
        }

        public TrainingOptions build() {
            return new TrainingOptions(
                    learningRate,
                    minLearningRate,
                    schedule,
                    warmupSteps,
                    weightDecay,
                    adamBeta1,
                    adamBeta2,
                    adamEpsilon,
                    maxGradNorm,
                    epochs,
                    batchSize,
                    gradientAccumulationSteps,
                    seed,
                    maxConsecutiveNonFiniteSteps,
                    checkpointEvery,
                    snapshotEvery);
        }
    }

    /** Optimizer steps for {@code examples} examples: every epoch ends with a possibly smaller step. */
    public int totalSteps(int examples) {
        return epochs * stepsPerEpoch(examples);
    }

    public int stepsPerEpoch(int examples) {
        int perStep = batchSize * gradientAccumulationSteps;
        return (examples + perStep - 1) / perStep;
    }

    private static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidTrainingOptionException(field, field + " " + message);
        }
    }
}
