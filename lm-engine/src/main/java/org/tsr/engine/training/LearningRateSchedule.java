package org.tsr.engine.training;

/**
 * Linear warm-up to the peak, then a decay to the minimum on the last step.
 *
 * @param totalSteps the run's optimizer steps
 */
public record LearningRateSchedule(Kind kind, double peak, double min, int warmupSteps, int totalSteps) {

    public enum Kind {
        CONSTANT,
        LINEAR,
        COSINE
    }

    public static LearningRateSchedule of(TrainingOptions options, int totalSteps) {
        return new LearningRateSchedule(
                options.schedule(),
                options.learningRate(),
                options.minLearningRate(),
                options.warmupSteps(),
                totalSteps);
    }

    /** The learning rate of optimizer step {@code step}, counted from 0. */
    public double at(int step) {
        if (step < warmupSteps) {
            // the first step already moves: (step + 1) / warmup, reaching the peak on the last warm-up step
            return peak * (step + 1) / warmupSteps;
        }
        int decaySteps = totalSteps - warmupSteps - 1;
        if (kind == Kind.CONSTANT || decaySteps <= 0) {
            return peak;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double shape = kind == Kind.LINEAR ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
        return min + (peak - min) * shape;
    }
}
