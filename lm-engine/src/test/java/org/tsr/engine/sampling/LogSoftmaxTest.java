package org.tsr.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogSoftmaxTest {

    @Test
    void theNormalizerMakesProbabilitiesSumToOneEvenForLargeLogits() {
        float[] row = {0f, 1000f, 999f, -5f, 998f};
        double normalizer = LogSoftmax.normalizer(row, 1, 3);
        double sum = Math.exp(1000 - normalizer) + Math.exp(999 - normalizer) + Math.exp(-5 - normalizer);
        assertThat(sum).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void mostLikelyIsTheLargestLogitsInOrderWithTiesByAscendingId() {
        float[] logits = {9f, 0.5f, 3f, -1f, 3f, 7f, 0.5f, 2f};
        assertThat(LogSoftmax.mostLikely(logits, 1, 7, 4)).containsExactly(4, 1, 3, 6);
        assertThat(LogSoftmax.mostLikely(logits, 1, 7, 10)).containsExactly(4, 1, 3, 6, 0, 5, 2);
        assertThat(LogSoftmax.mostLikely(logits, 1, 7, 0)).isEmpty();
    }
}
