package org.tsr.engine.precision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.AttentionInputs;
import org.tsr.engine.model.KvCache;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.training.Trainer;
import org.tsr.engine.training.TrainingListener;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.sft.SftObjective;

/** A model loaded for bfloat16 compute, against the same checkpoint in float32 (Qwen2 shape: biases included). */
class Bfloat16ComputeTest {

    private static final long[] SEQUENCE = {4, 50, 51, 52, 9, 60, 61, 70, 71, 80, 81, 90};

    @TempDir
    Path dir;

    @Test
    void logitsStayWithinBfloat16RoundingOfFloat32AndCachedDecodingAgreesWithAFullPass() {
        Path checkpoint = TestModels.write(dir, TestModels.qwen2(), 21);
        float[] exact;
        try (LanguageModel model = LanguageModel.load(checkpoint, TestModels.options())) {
            exact = fullLogits(model);
        }
        try (LanguageModel model = LanguageModel.load(checkpoint, bfloat16())) {
            assertThat(model.network().computesInBfloat16()).isTrue();
            float[] rounded = fullLogits(model);
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < exact.length; i++) {
                worst = Math.max(worst, Math.abs(exact[i] - rounded[i]));
                scale = Math.max(scale, Math.abs(exact[i]));
            }
            System.out.printf(
                    "bfloat16 compute on the test model: max |logit diff| %.4f, max |logit| %.2f%n", worst, scale);
            assertThat(worst).isGreaterThan(0).isLessThan(0.05 * scale);

            // the decoding path multiplies stacked bfloat16 weights: it must agree with the bfloat16 full pass
            int prefix = 5;
            int vocab = model.config().vocabSize();
            try (NDManager manager = model.manager().newSubManager();
                    KvCache cache = model.network().newCache(manager)) {
                NDArray ids = manager.create(Arrays.copyOf(SEQUENCE, prefix), new Shape(1, prefix));
                logits(model, ids, AttentionInputs.of(manager, new boolean[][] {allTrue(prefix)}, prefix), cache);
                for (int t = prefix; t < SEQUENCE.length; t++) {
                    NDArray next = manager.create(new long[] {SEQUENCE[t]}, new Shape(1, 1));
                    float[] step = logits(
                            model, next, AttentionInputs.of(manager, new boolean[][] {allTrue(t + 1)}, 1), cache);
                    for (int v = 0; v < vocab; v++) {
                        assertThat(Math.abs(step[v] - rounded[t * vocab + v]))
                                .as("position %d, token %d", t, v)
                                .isLessThan((float) (0.02 * scale));
                    }
                }
            }
        }
    }

    @Test
    void aBfloat16ModelReportsItsWeightCopiesAndCannotBeTrained() {
        Path checkpoint = TestModels.write(dir, TestModels.llama(), 5);
        long floatBytes;
        long parameters = 0;
        try (LanguageModel model = LanguageModel.load(checkpoint, TestModels.options())) {
            floatBytes = model.weightBytes();
            for (NamedParameter parameter : model.network().namedParameters()) {
                parameters += parameter.shape().size();
            }
        }
        assertThat(floatBytes).isEqualTo(4 * parameters);
        try (LanguageModel model = LanguageModel.load(checkpoint, bfloat16())) {
            long copies = model.network().bfloat16Bytes();
            assertThat(copies).isPositive().isLessThan(2 * parameters);
            assertThat(model.weightBytes()).isEqualTo(floatBytes + copies);

            assertThatThrownBy(() -> new Trainer<>(
                                    model,
                                    new SftObjective(model),
                                    TrainingOptions.builder().build())
                            .train(
                                    List.of(new PromptResponse(new long[] {1, 2}, new long[] {3})),
                                    TrainingListener.NONE,
                                    null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bfloat16 inference");
        }
    }

    private static EngineOptions bfloat16() {
        return TestModels.options().withPrecision(EngineOptions.Precision.BFLOAT16);
    }

    private static float[] fullLogits(LanguageModel model) {
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray input = manager.create(new long[][] {SEQUENCE});
            return logits(
                    model,
                    input,
                    AttentionInputs.of(manager, new boolean[][] {allTrue(SEQUENCE.length)}, SEQUENCE.length),
                    null);
        }
    }

    private static float[] logits(LanguageModel model, NDArray ids, AttentionInputs attention, KvCache cache) {
        return model.network()
                .logits(model.network().hiddenStates(ids, attention, cache))
                .toFloatArray();
    }

    private static boolean[] allTrue(int length) {
        boolean[] row = new boolean[length];
        Arrays.fill(row, true);
        return row;
    }
}
