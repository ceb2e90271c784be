package org.tsr.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tsr.contract.sampling.SamplingSettings;

class TokenChooserTest {

    /** probabilities at temperature 1: about 0.64, 0.24, 0.09, 0.03 for tokens 2, 0, 3, 1 */
    private static final float[] LOGITS = {2f, 0f, 3f, 1f};

    @Test
    void greedyTakesTheLargestLogit() {
        assertThat(new TokenChooser(SamplingSettings.greedy(1)).choose(LOGITS, 0, 4, new SplittableRandom(1)))
                .isEqualTo(2);
    }

    @Test
    void topKKeepsOnlyTheKMostLikelyTokens() {
        Map<Integer, Integer> counts = draw(SamplingSettings.of(1, 1.0, 1, 0).withTopK(2), 4000);
        assertThat(counts.keySet()).containsExactlyInAnyOrder(2, 0);
        assertThat(counts.get(2) / 4000.0).isBetween(0.68, 0.78); // e^3 / (e^3 + e^2) = 0.731
    }

    @Test
    void topPKeepsTheSmallestNucleusReachingTheMass() {
        // 0.64 alone is below 0.8; with token 0 the mass is 0.88
        Map<Integer, Integer> counts = draw(SamplingSettings.of(1, 1.0, 1, 0).withTopP(0.8), 4000);
        assertThat(counts.keySet()).containsExactlyInAnyOrder(2, 0);
    }

    @Test
    void temperatureFlattensTheDistribution() {
        Map<Integer, Integer> hot = draw(SamplingSettings.of(1, 100.0, 1, 0), 8000);
        assertThat(hot.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(hot.values()).allMatch(count -> count > 1700);
    }

    @Test
    void tiesAreBrokenByTokenIdWhateverTheirOrder() {
        TokenChooser chooser =
                new TokenChooser(SamplingSettings.of(1, 1.0, 1, 0).withTopK(1));
        float[] tied = {0f, 5f, 5f, -1f};
        assertThat(chooser.choose(tied, 0, 4, new SplittableRandom(3))).isEqualTo(1);
        float[] withNegatives = {-3f, -0.5f, -7f, -0.25f};
        assertThat(chooser.choose(withNegatives, 0, 4, new SplittableRandom(3))).isEqualTo(3);
    }

    @Test
    void readsTheRowAtTheGivenOffset() {
        float[] twoRows = {9f, 0f, 0f, 0f, 0f, 0f, 0f, 9f};
        TokenChooser chooser = new TokenChooser(SamplingSettings.greedy(1));
        assertThat(List.of(
                        chooser.choose(twoRows, 0, 4, new SplittableRandom(1)),
                        chooser.choose(twoRows, 4, 4, new SplittableRandom(1))))
                .containsExactly(0, 3);
    }

    private static Map<Integer, Integer> draw(SamplingSettings params, int times) {
        TokenChooser chooser = new TokenChooser(params);
        SplittableRandom random = new SplittableRandom(42);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < times; i++) {
            counts.merge(chooser.choose(LOGITS, 0, 4, random), 1, Integer::sum);
        }
        return counts;
    }
}
