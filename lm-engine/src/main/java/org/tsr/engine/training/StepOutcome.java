package org.tsr.engine.training;

/** Sums over the forward passes of one optimizer step, turned into its metrics at the end. */
final class StepOutcome {

    private final long startNanos;
    private boolean finite = true;
    private String nonFinite;
    private int restoredStep = -1;
    private double loss;
    private double gradNorm = Double.NaN;
    private long tokens;
    private int pairs;
    private double chosenRewards;
    private double rejectedRewards;
    private double correctlyRanked;
    private double chosenLogps;
    private double rejectedLogps;

    StepOutcome(long startNanos) {
        this.startNanos = startNanos;
    }

    void add(BatchLoss batch, float value, float weight) {
        if (!Float.isFinite(value)) {
            notFinite("loss");
        }
        loss += value * weight;
        tokens += batch.tokens();
        BatchLoss.PairStats stats = batch.pairs();
        if (stats != null) {
            for (int i = 0; i < stats.chosenRewards().length; i++) {
                pairs++;
                chosenRewards += stats.chosenRewards()[i];
                rejectedRewards += stats.rejectedRewards()[i];
                correctlyRanked += stats.chosenRewards()[i] > stats.rejectedRewards()[i] ? 1 : 0;
                chosenLogps += stats.chosenLogps()[i];
                rejectedLogps += stats.rejectedLogps()[i];
            }
        }
    }

    void gradNorm(double norm) {
        gradNorm = norm;
        if (!Double.isFinite(norm)) {
            notFinite("gradient");
        }
    }

    /** A parameter held a NaN or an infinity after the update. */
    void parameterNotFinite(String name) {
        notFinite("parameter " + name + " after the update");
    }

    /** The parameters were set back to those of {@code step}. */
    void restored(int step) {
        restoredStep = step;
    }

    private void notFinite(String what) {
        if (finite) {
            finite = false;
            nonFinite = what;
        }
    }

    /** What was not finite first: "loss", "gradient" or "parameter NAME after the update"; null if all was. */
    String nonFinite() {
        return nonFinite;
    }

    boolean finite() {
        return finite;
    }

    double gradNorm() {
        return gradNorm;
    }

    StepMetrics metrics(TrainerState state, int totalSteps, int stepsPerEpoch, double learningRate) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        boolean withPairs = pairs > 0;
        return new StepMetrics(
                state.step(),
                totalSteps,
                (double) state.step() / stepsPerEpoch,
                finite ? loss : Double.NaN,
                gradNorm,
                learningRate,
                tokens,
                seconds > 0 ? tokens / seconds : 0,
                !finite,
                state.nonFiniteSteps(),
                nonFinite,
                restoredStep < 0 ? null : restoredStep,
                withPairs ? chosenRewards / pairs : null,
                withPairs ? rejectedRewards / pairs : null,
                withPairs ? (chosenRewards - rejectedRewards) / pairs : null,
                withPairs ? correctlyRanked / pairs : null,
                withPairs ? chosenLogps / pairs : null,
                withPairs ? rejectedLogps / pairs : null);
    }
}
