package org.tsr.gateway.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthControlledWinRateTest {

    @Test
    void aJudgeWhoOnlyRewardsLengthGivesAHighRawWinRateAndAnEvenControlledOne() {
        // the evaluated responses are mostly longer; at equal length the judge would call it even (b0 = 0), and each
        // step of length difference moves it as the model says (b1 = 2.5)
        Random random = new Random(11);
        int n = 600;
        double[] differences = new double[n];
        for (int i = 0; i < n; i++) {
            differences[i] = random.nextGaussian() * 30 + 25;
        }
        double sd = populationSd(differences);
        double[] preferences = new double[n];
        double raw = 0;
        for (int i = 0; i < n; i++) {
            double win = 1 / (1 + Math.exp(-2.5 * Math.tanh(differences[i] / sd)));
            preferences[i] = random.nextDouble() < win ? 1 : 0;
            raw += preferences[i] / n;
        }

        LengthControlledWinRate controlled = LengthControlledWinRate.fit(preferences, differences);

        assertThat(raw).isGreaterThan(0.7);
        assertThat(controlled.value()).isBetween(0.4, 0.6);
        assertThat(controlled.low()).isLessThan(0.5);
        assertThat(controlled.high()).isGreaterThan(0.5);
        assertThat(controlled.lengthSlope()).isBetween(1.5, 3.5);
    }

    private static double populationSd(double[] values) {
        double mean = 0;
        for (double value : values) {
            mean += value / values.length;
        }
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / values.length);
    }

    @Test
    void whenLengthDoesNotMoveTheJudgeTheControlledRateStaysNearTheRawOne() {
        Random random = new Random(5);
        int n = 400;
        double[] preferences = new double[n];
        double[] differences = new double[n];
        double raw = 0;
        for (int i = 0; i < n; i++) {
            differences[i] = random.nextGaussian() * 30;
            preferences[i] = random.nextDouble() < 0.7 ? 1 : 0;
            raw += preferences[i] / n;
        }

        LengthControlledWinRate controlled = LengthControlledWinRate.fit(preferences, differences);

        assertThat(controlled.value()).isCloseTo(raw, within(0.05));
        assertThat(Math.abs(controlled.lengthSlope())).isLessThan(0.5);
        assertThat(controlled.low()).isLessThan(controlled.value());
        assertThat(controlled.high()).isGreaterThan(controlled.value());
    }

    @Test
    void equalLengthDifferencesLeaveTheMeanPreferenceTiesIncluded() {
        double[] preferences = {1, 0.5, 0, 1, 1, 0.5};
        double[] differences = {3, 3, 3, 3, 3, 3};

        LengthControlledWinRate controlled = LengthControlledWinRate.fit(preferences, differences);

        assertThat(controlled.value()).isCloseTo(4.0 / 6, within(1e-9));
        assertThat(controlled.lengthSlope()).isZero();
        assertThat(controlled.low()).isLessThan(4.0 / 6).isGreaterThan(0);
        assertThat(controlled.high()).isGreaterThan(4.0 / 6).isLessThan(1);
    }

    @Test
    void aUnanimousVerdictStaysUnanimousAndNoComparisonsGiveNoFigure() {
        LengthControlledWinRate unanimous =
                LengthControlledWinRate.fit(new double[] {1, 1, 1}, new double[] {-4, 2, 9});
        assertThat(unanimous.value()).isEqualTo(1.0);
        assertThat(unanimous.high()).isEqualTo(1.0);
        // three prompts are no proof: Wilson's interval reaches well below
        assertThat(unanimous.low()).isBetween(0.3, 0.6);

        LengthControlledWinRate allTies =
                LengthControlledWinRate.fit(new double[] {0.5, 0.5, 0.5, 0.5}, new double[] {1, -3, 8, 2});
        assertThat(allTies.value()).isCloseTo(0.5, within(1e-9));
        assertThat(allTies.low()).isLessThan(0.3);
        assertThat(allTies.high()).isGreaterThan(0.7);

        assertThat(LengthControlledWinRate.fit(new double[0], new double[0]).value())
                .isNaN();
    }

    @Test
    void lengthAloneSeparatingWinsFromLossesStillGivesAFiniteFit() {
        double[] preferences = {1, 1, 1, 0, 0, 0};
        double[] differences = {10, 20, 30, -10, -20, -30};

        LengthControlledWinRate controlled = LengthControlledWinRate.fit(preferences, differences);

        assertThat(controlled.value()).isCloseTo(0.5, within(1e-6));
        assertThat(controlled.lengthSlope()).isFinite().isGreaterThan(1.0);
    }
}
