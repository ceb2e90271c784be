package org.tsr.engine.training.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tsr.engine.training.InvalidTrainingOptionException;

/**
 * Two pairs, worked by hand. Pair 0: policy chosen -1, rejected -3, reference -2 and -2, so the log-ratio
 * difference z = (-1 - -3) - (-2 - -2) = 2. Pair 1: policy -4 and -2, reference -3 and -3, so z = -2.
 */
class DpoLossTest {

    NDManager manager;
    NDArray policyChosen;
    NDArray policyRejected;
    NDArray referenceChosen;
    NDArray referenceRejected;

    @BeforeEach
    void twoPairs() {
        manager = NDManager.newBaseManager();
        policyChosen = manager.create(new float[] {-1f, -4f});
        policyRejected = manager.create(new float[] {-3f, -2f});
        referenceChosen = manager.create(new float[] {-2f, -3f});
        referenceRejected = manager.create(new float[] {-2f, -3f});
        policyChosen.setRequiresGradient(true);
        policyRejected.setRequiresGradient(true);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** The mean loss over the pairs and its gradient in the policy's chosen and rejected log-probabilities. */
    private float[][] lossAndGradients(DpoOptions options) {
        DpoLoss loss = new DpoLoss(options);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray perPair = loss.perPair(policyChosen, policyRejected, referenceChosen, referenceRejected);
            collector.backward(perPair.mean());
            return new float[][] {
                perPair.toFloatArray(),
                policyChosen.getGradient().toFloatArray(),
                policyRejected.getGradient().toFloatArray()
            };
        }
    }

    @Test
    void sigmoidLossIsSoftplusOfMinusBetaZWithGradientMinusBetaSigmoid() {
        // beta 0.5: pair 0 loss = ln(1 + e^-1) = 0.3132617, pair 1 loss = ln(1 + e^1) = 1.3132617;
        // dL/dchosen = -beta * sigmoid(-beta z) / 2 pairs: pair 0 -0.5 * 0.2689414 / 2, pair 1 -0.5 * 0.7310586 / 2
        float[][] result = lossAndGradients(DpoOptions.sigmoid(0.5));

        assertThat(result[0][0]).isCloseTo(0.3132617f, within(1e-6f));
        assertThat(result[0][1]).isCloseTo(1.3132617f, within(1e-6f));
        assertThat(result[1][0]).isCloseTo(-0.0672353f, within(1e-6f));
        assertThat(result[1][1]).isCloseTo(-0.1827646f, within(1e-6f));
        assertThat(result[2][0]).isCloseTo(0.0672353f, within(1e-6f));
        assertThat(result[2][1]).isCloseTo(0.1827646f, within(1e-6f));
    }

    @Test
    void labelSmoothingMixesInTheLossOfTheFlippedLabel() {
        // pair 0: 0.9 * ln(1 + e^-1) + 0.1 * ln(1 + e^1) = 0.2819355 + 0.1313262;
        // d/dz = -0.9 * 0.5 * sigmoid(-1) + 0.1 * 0.5 * sigmoid(1) = -0.1210236 + 0.0365529, halved for the mean
        float[][] result = lossAndGradients(new DpoOptions(0.5, DpoLossType.SIGMOID, 0.1, 0, false));

        assertThat(result[0][0]).isCloseTo(0.4132617f, within(1e-6f));
        assertThat(result[1][0]).isCloseTo(-0.0422354f, within(1e-6f));
        assertThat(result[2][0]).isCloseTo(0.0422354f, within(1e-6f));
    }

    @Test
    void ipoLossIsTheSquaredDistanceOfZFromOneOverTwoBeta() {
        // beta 0.5: target 1; pair 0 (2 - 1)^2 = 1, pair 1 (-2 - 1)^2 = 9; gradient 2 (z - 1) / 2 pairs = 1 and -3
        float[][] result = lossAndGradients(new DpoOptions(0.5, DpoLossType.IPO, 0, 0, false));

        assertThat(result[0]).containsExactly(new float[] {1f, 9f}, within(1e-6f));
        assertThat(result[1]).containsExactly(new float[] {1f, -3f}, within(1e-6f));
        assertThat(result[2]).containsExactly(new float[] {-1f, 3f}, within(1e-6f));
    }

    @Test
    void hingeLossIsZeroPastTheMarginAndLinearBeforeIt() {
        // beta 0.25: pair 0 max(0, 1 - 0.5) = 0.5, pair 1 max(0, 1 + 0.5) = 1.5; gradient -beta / 2 pairs on both
        float[][] result = lossAndGradients(new DpoOptions(0.25, DpoLossType.HINGE, 0, 0, false));
        assertThat(result[0]).containsExactly(new float[] {0.5f, 1.5f}, within(1e-6f));
        assertThat(result[1]).containsExactly(new float[] {-0.125f, -0.125f}, within(1e-6f));

        // beta 1: pair 0 has z beta = 2 past the margin: no loss, no gradient
        policyChosen.getGradient().subi(policyChosen.getGradient());
        float[][] past = lossAndGradients(new DpoOptions(1, DpoLossType.HINGE, 0, 0, false));
        assertThat(past[0]).containsExactly(new float[] {0f, 3f}, within(1e-6f));
        assertThat(past[1]).containsExactly(new float[] {0f, -0.5f}, within(1e-6f));
    }

    @Test
    void sigmoidLossStaysFiniteForHugeLogRatios() {
        NDArray far = manager.create(new float[] {-5000f, 5000f});
        NDArray zero = manager.zeros(far.getShape());
        float[] loss = new DpoLoss(DpoOptions.sigmoid(1))
                .perPair(far, zero, zero, zero)
                .toFloatArray();
        assertThat(loss).containsExactly(new float[] {5000f, 0f}, within(1e-3f));
    }

    @Test
    void rewardsAreBetaTimesThePolicyReferenceDifference() {
        float[] rewards = new DpoLoss(DpoOptions.sigmoid(0.1)).rewards(new float[] {-1f, -4f}, new float[] {-2f, -3f});
        assertThat(rewards).containsExactly(new float[] {0.1f, -0.1f}, within(1e-6f));
    }

    @Test
    void refusesOptionsOutOfRangeNamingTheField() {
        assertThatThrownBy(() -> DpoOptions.sigmoid(0))
                .isInstanceOf(InvalidTrainingOptionException.class)
                .extracting(e -> ((InvalidTrainingOptionException) e).field())
                .isEqualTo("beta");
        assertThatThrownBy(() -> new DpoOptions(0.1, DpoLossType.IPO, 0.1, 0, false))
                .isInstanceOf(InvalidTrainingOptionException.class)
                .hasMessageContaining("labelSmoothing");
        assertThatThrownBy(() -> new DpoOptions(0.1, DpoLossType.SIGMOID, 0, -1, false))
                .hasMessageContaining("rpoAlpha");
    }
}
