package org.tsr.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NoisyOracleTest {

    @Test
    void aSampleIsTheOraclesGradeAtTheNominalRateAndOtherwiseAnotherGradeUniformly() {
        NoisyOracle judge = new NoisyOracle(0.75, 11);
        int samples = 40_000;
        int right = 0;
        int[] wrong = new int[6];
        for (int i = 0; i < samples; i++) {
            int score = judge.score(3, i, i % 3);
            if (score == 3) {
                right++;
            } else {
                wrong[score]++;
            }
        }
        assertThat((double) right / samples).isBetween(0.74, 0.76);
        int noise = samples - right;
        for (int score : new int[] {1, 2, 4, 5}) {
            assertThat((double) wrong[score] / noise).isBetween(0.23, 0.27);
        }
    }

    @Test
    void drawsDependOnlyOnSeedResponseAndSampleSoARetryJudgesAlike() {
        NoisyOracle judge = new NoisyOracle(0.5, 7);
        int[] first = new int[200];
        for (int i = 0; i < first.length; i++) {
            first[i] = judge.score(5, 1000 + i, 2);
        }
        for (int i = 0; i < first.length; i++) {
            assertThat(new NoisyOracle(0.5, 7).score(5, 1000 + i, 2)).isEqualTo(first[i]);
        }
        long differentSamples = java.util.stream.IntStream.range(0, 200)
                .filter(i -> judge.score(5, 1000 + i, 0) != judge.score(5, 1000 + i, 1))
                .count();
        assertThat(differentSamples).isPositive();
    }

    @Test
    void theExtremesAreTheOracleAndAlwaysWrong() {
        for (int i = 0; i < 100; i++) {
            assertThat(new NoisyOracle(1.0, 3).score(2, i, 0)).isEqualTo(2);
            assertThat(new NoisyOracle(0.0, 3).score(2, i, 0)).isNotEqualTo(2).isBetween(1, 5);
        }
        assertThatThrownBy(() -> new NoisyOracle(1.5, 3)).hasMessageContaining("[0, 1]");
    }
}
