package org.tsr.engine.training;

/** Sums over the forward passes of one optimizer step, turned into its metrics at the end. */
final class StepOutcome {

    private final long startNanos;
    private boolean finite = true;
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
        finite &= Float.isFinite(value);
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
        finite &= Double.isFinite(norm);
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
                withPairs ? chosenRewards / pairs : null,
                withPairs ? rejectedRewards / pairs : null,
                withPairs ? (chosenRewards - rejectedRewards) / pairs : null,
                withPairs ? correctlyRanked / pairs : null,
                withPairs ? chosenLogps / pairs : null,
                withPairs ? rejectedLogps / pairs : null);
    }
}
