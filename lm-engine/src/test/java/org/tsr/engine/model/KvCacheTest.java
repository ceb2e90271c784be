package org.tsr.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;

class KvCacheTest {

    private static final Offset<Float> TOLERANCE = Offset.offset(1e-4f);

    @TempDir
    static Path dir;

    private static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(TestModels.write(dir, TestModels.qwen2(), 21), TestModels.options());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void decodingWithTheCacheGivesTheLogitsOfFullRecomputation() {
        long[] sequence = {4, 50, 51, 52, 9, 60, 61, 70, 71, 80, 81, 90};
        int prefix = 5;
        int vocab = model.config().vocabSize();
        try (NDManager manager = model.manager().newSubManager()) {
            float[] full = fullLogits(manager, new long[][] {sequence}, new boolean[][] {allTrue(sequence.length)});
            try (KvCache cache = model.network().newCache(manager)) {
                boolean[][] mask = {allTrue(prefix)};
                NDArray ids = manager.create(java.util.Arrays.copyOf(sequence, prefix), new Shape(1, prefix));
                float[] prefill = logits(ids, AttentionInputs.of(manager, mask, prefix), cache);
                assertClose(prefill, 0, full, 0, prefix * vocab);
                for (int t = prefix; t < sequence.length; t++) {
                    mask = new boolean[][] {allTrue(t + 1)};
                    NDArray next = manager.create(new long[] {sequence[t]}, new Shape(1, 1));
                    float[] step = logits(next, AttentionInputs.of(manager, mask, 1), cache);
                    assertClose(step, 0, full, t * vocab, vocab);
                }
                assertThat(cache.length()).isEqualTo(sequence.length);
            }
        }
    }

    @Test
    void leftPaddedRowsGiveTheLogitsOfTheUnpaddedSequence() {
        long[] shortRow = {7, 8, 9, 10};
        long[] longRow = {11, 12, 13, 14, 15, 16, 17};
        int pad = 0;
        int vocab = model.config().vocabSize();
        try (NDManager manager = model.manager().newSubManager()) {
            long[][] batch = {{pad, pad, pad, 7, 8, 9, 10}, longRow};
            boolean[][] mask = {{false, false, false, true, true, true, true}, allTrue(7)};
            float[] padded = fullLogits(manager, batch, mask);
            float[] alone = fullLogits(manager, new long[][] {shortRow}, new boolean[][] {allTrue(4)});
            assertClose(padded, 3 * vocab, alone, 0, 4 * vocab);
            float[] longAlone = fullLogits(manager, new long[][] {longRow}, new boolean[][] {allTrue(7)});
            assertClose(padded, 7 * vocab, longAlone, 0, 7 * vocab);
        }
    }

    @Test
    void rightPaddedRowsGiveTheLogitsOfTheUnpaddedSequence() {
        long[] shortRow = {7, 8, 9, 10};
        int vocab = model.config().vocabSize();
        try (NDManager manager = model.manager().newSubManager()) {
            long[][] batch = {{7, 8, 9, 10, 0, 0}, {1, 2, 3, 4, 5, 6}};
            boolean[][] mask = {{true, true, true, true, false, false}, allTrue(6)};
            float[] padded = fullLogits(manager, batch, mask);
            float[] alone = fullLogits(manager, new long[][] {shortRow}, new boolean[][] {allTrue(4)});
            assertClose(padded, 0, alone, 0, 4 * vocab);
        }
    }

    private static float[] fullLogits(NDManager manager, long[][] ids, boolean[][] mask) {
        NDArray input = manager.create(ids);
        return logits(input, AttentionInputs.of(manager, mask, ids[0].length), null);
    }

    private static float[] logits(NDArray ids, AttentionInputs attention, KvCache cache) {
        return model.network()
                .logits(model.network().hiddenStates(ids, attention, cache))
                .toFloatArray();
    }

    private static boolean[] allTrue(int length) {
        boolean[] row = new boolean[length];
        java.util.Arrays.fill(row, true);
        return row;
    }

    private static void assertClose(float[] actual, int actualOffset, float[] expected, int expectedOffset, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(actual[actualOffset + i]).as("element %d", i).isCloseTo(expected[expectedOffset + i], TOLERANCE);
        }
    }
}
