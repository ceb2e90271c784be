package org.tsr.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;

class LoraAdaptersTest {

    private static final Offset<Float> TOLERANCE = Offset.offset(1e-4f);
    private static final long[] SEQUENCE = {4, 50, 51, 52, 9, 60, 61, 70, 71, 80, 81, 90};

    @TempDir
    Path dir;

    /** Qwen2-style: q/k/v biases and an untied head, so the fused q/k/v path carries a bias too. */
    private LanguageModel load() {
        return LanguageModel.load(TestModels.write(dir.resolve("base"), TestModels.qwen2(), 21), TestModels.options());
    }

    @Test
    void freshAdaptersHaveZeroBAndLeaveTheOutputsUnchanged() {
        try (LanguageModel model = load()) {
            float[] base = fullLogits(model);

            LoraAdapters adapters = LoraAdapters.attach(
                    model.network(), model.manager(), 4, 8, 0.1, EnumSet.allOf(LinearModule.class), 7);

            // 2 layers x 7 modules x (A, B)
            assertThat(adapters.parameters()).hasSize(28);
            assertThat(adapters.parameters().get(0).name())
                    .isEqualTo("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
            assertThat(adapters.parameters().get(0).shape()).isEqualTo(new Shape(4, 32));
            assertThat(adapters.parameters().get(1).shape()).isEqualTo(new Shape(32, 4));
            float[] a = adapters.parameters().get(0).parameter().getArray().toFloatArray();
            assertThat(maxDifference(a, new float[a.length])).isLessThanOrEqualTo((float) (1 / Math.sqrt(32)));
            assertThat(maxDifference(a, new float[a.length])).isGreaterThan(0.05f);
            assertThat(adapters.parameters().get(1).parameter().getArray().toFloatArray())
                    .containsOnly(0f);
            assertClose(fullLogits(model), base);
        }
    }

    @Test
    void theSameSeedDrawsTheSameAdapters() {
        try (LanguageModel model = load()) {
            float[] first;
            try (LoraAdapters adapters = LoraAdapters.attach(
                    model.network(), model.manager(), 4, 8, 0, EnumSet.of(LinearModule.V_PROJ), 7)) {
                first = adapters.parameters().get(0).parameter().getArray().toFloatArray();
            }
            try (LoraAdapters adapters = LoraAdapters.attach(
                    model.network(), model.manager(), 4, 8, 0, EnumSet.of(LinearModule.V_PROJ), 7)) {
                assertThat(adapters.parameters().get(0).parameter().getArray().toFloatArray())
                        .containsExactly(first);
            }
            try (LoraAdapters adapters = LoraAdapters.attach(
                    model.network(), model.manager(), 4, 8, 0, EnumSet.of(LinearModule.V_PROJ), 8)) {
                assertThat(Arrays.equals(
                                adapters.parameters()
                                        .get(0)
                                        .parameter()
                                        .getArray()
                                        .toFloatArray(),
                                first))
                        .isFalse();
            }
        }
    }

    @Test
    void trainedAdaptersChangeTheOutputsAndDecodingWithTheFusedCacheAgreesWithTheFullPass() {
        try (LanguageModel model = load()) {
            float[] base = fullLogits(model);
            LoraAdapters adapters = LoraAdapters.attach(
                    model.network(), model.manager(), 4, 8, 0, EnumSet.allOf(LinearModule.class), 7);
            randomiseB(adapters);

            float[] adapted = fullLogits(model);

            assertThat(maxDifference(adapted, base)).isGreaterThan(0.05f);
            // the cache stacks q/k/v and gate/up merged; o and down keep their adapter
            assertClose(cachedLogits(model), adapted);
            try (LoraAdapters.Scope off = adapters.disabled()) {
                assertThat(adapters.enabled()).isFalse();
                assertClose(fullLogits(model), base);
                assertClose(cachedLogits(model), base);
            }
            assertClose(fullLogits(model), adapted);
        }
    }

    @Test
    void aSavedModelHasTheAdaptersMergedAndLoadsAsAPlainModelWithTheSameLogits() {
        Path merged = dir.resolve("merged");
        float[] adapted;
        try (LanguageModel model = load()) {
            LoraAdapters adapters = LoraAdapters.attach(
                    model.network(),
                    model.manager(),
                    4,
                    8,
                    0.2,
                    EnumSet.of(LinearModule.Q_PROJ, LinearModule.V_PROJ, LinearModule.DOWN_PROJ),
                    7);
            randomiseB(adapters);
            adapted = fullLogits(model);

            model.save(merged);
        }

        try (LanguageModel plain = LanguageModel.load(merged, TestModels.options())) {
            assertThat(plain.network().lora()).isEmpty();
            assertClose(fullLogits(plain), adapted);
        }
    }

    @Test
    void closingTheAdaptersDetachesThem() {
        try (LanguageModel model = load()) {
            float[] base = fullLogits(model);
            LoraAdapters adapters =
                    LoraAdapters.attach(model.network(), model.manager(), 2, 4, 0, EnumSet.of(LinearModule.UP_PROJ), 7);
            randomiseB(adapters);
            assertThatThrownBy(() -> LoraAdapters.attach(
                            model.network(), model.manager(), 2, 4, 0, EnumSet.of(LinearModule.UP_PROJ), 7))
                    .isInstanceOf(IllegalStateException.class);

            adapters.close();

            assertThat(model.network().lora()).isEmpty();
            assertClose(fullLogits(model), base);
        }
    }

    @Test
    void moduleNamesAreHuggingFaces() {
        assertThat(LinearModule.fromHfName("gate_proj")).isEqualTo(LinearModule.GATE_PROJ);
        assertThat(LinearModule.DOWN_PROJ.path(3)).isEqualTo("model.layers.3.mlp.down_proj");
        assertThatThrownBy(() -> LinearModule.fromHfName("qkv_proj"))
                .hasMessageContaining("unknown module 'qkv_proj'")
                .hasMessageContaining("q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
    }

    /** What training would leave: B no longer zero. */
    private static void randomiseB(LoraAdapters adapters) {
        Random random = new Random(3);
        try (InferenceMode noGradients = InferenceMode.enter()) {
            for (NamedParameter parameter : adapters.parameters()) {
                if (parameter.name().endsWith("lora_B.weight")) {
                    float[] values = new float[Math.toIntExact(parameter.shape().size())];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (random.nextGaussian() * 0.3);
                    }
                    parameter.parameter().getArray().set(values);
                }
            }
        }
    }

    private static float[] fullLogits(LanguageModel model) {
        try (InferenceMode noGradients = InferenceMode.enter();
                NDManager manager = model.manager().newSubManager()) {
            NDArray ids = manager.create(SEQUENCE, new Shape(1, SEQUENCE.length));
            return model.network()
                    .logits(model.network()
                            .hiddenStates(ids, AttentionInputs.causal(manager, 1, SEQUENCE.length), null))
                    .toFloatArray();
        }
    }

    /** A 5-token prefill, then one token a step through the cache, as the generator decodes. */
    private static float[] cachedLogits(LanguageModel model) {
        int prefix = 5;
        int vocab = model.config().vocabSize();
        float[] all = new float[SEQUENCE.length * vocab];
        try (InferenceMode noGradients = InferenceMode.enter();
                NDManager manager = model.manager().newSubManager();
                KvCache cache = model.network().newCache(manager)) {
            NDArray ids = manager.create(Arrays.copyOf(SEQUENCE, prefix), new Shape(1, prefix));
            float[] prefill = logits(model, ids, AttentionInputs.causal(manager, 1, prefix), cache);
            System.arraycopy(prefill, 0, all, 0, prefill.length);
            for (int t = prefix; t < SEQUENCE.length; t++) {
                boolean[][] mask = {new boolean[t + 1]};
                Arrays.fill(mask[0], true);
                NDArray next = manager.create(new long[] {SEQUENCE[t]}, new Shape(1, 1));
                float[] step = logits(model, next, AttentionInputs.of(manager, mask, 1), cache);
                System.arraycopy(step, 0, all, t * vocab, vocab);
            }
        }
        return all;
    }

    private static float[] logits(LanguageModel model, NDArray ids, AttentionInputs attention, KvCache cache) {
        return model.network()
                .logits(model.network().hiddenStates(ids, attention, cache))
                .toFloatArray();
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(maxDifference(actual, expected)).isLessThan(TOLERANCE.value);
    }
}
