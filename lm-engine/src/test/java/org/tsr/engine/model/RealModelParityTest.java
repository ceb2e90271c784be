package org.tsr.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;

/**
 * The engine against an independent numpy forward pass written from transformers' modeling code (Llama 3.x rope
 * scaling, Qwen2.5, Qwen3, Mistral, linear, dynamic NTK and yarn scaling), on the real configs scaled down: see
 * {@code src/test/resources/parity/README.md}.
 */
class RealModelParityTest {

    /** Decoding steps checked through the KV cache after a prefill of the rest. */
    private static final int CACHED_STEPS = 8;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "llama-3.2-1b",
                "llama-3.1-8b-rope-parameters",
                "qwen2.5-0.5b",
                "qwen3-0.6b",
                "qwen3-8b-yarn",
                "mistral-7b-v0.1",
                "llama-2-linear",
                "llama-2-dynamic"
            })
    void logitsMatchTheReferenceWhetherLoadedFromTheRealConfigOrFromTheEnginesOwnSave(String name) {
        ParityCase parity = ParityCase.named(name);
        float[] expected = parity.expectedLogits();
        try (LanguageModel model = LanguageModel.load(parity.writeModel(dir.resolve("model")), TestModels.options())) {
            assertThat(maxAbsDifference(fullForward(model, parity.inputIds()), expected))
                    .as("%s: max |engine - reference|", name)
                    .isLessThanOrEqualTo(parity.tolerance());
            model.save(dir.resolve("saved"));
        }
        try (LanguageModel saved = LanguageModel.load(dir.resolve("saved"), TestModels.options())) {
            assertThat(maxAbsDifference(fullForward(saved, parity.inputIds()), expected))
                    .as("%s saved and reloaded: max |engine - reference|", name)
                    .isLessThanOrEqualTo(parity.tolerance());
        }
    }

    /**
     * The generator's path: a prefill, then one token at a time through the cache. Dynamic NTK is left out on
     * purpose: its frequencies follow the length read so far, so transformers' own cached decoding differs from
     * its full forward there too.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "llama-3.2-1b",
                "llama-3.1-8b-rope-parameters",
                "qwen2.5-0.5b",
                "qwen3-0.6b",
                "qwen3-8b-yarn",
                "mistral-7b-v0.1",
                "llama-2-linear"
            })
    void decodingThroughTheCacheMatchesTheReference(String name) {
        ParityCase parity = ParityCase.named(name);
        float[] expected = parity.expectedLogits();
        long[] ids = parity.inputIds();
        try (LanguageModel model = LanguageModel.load(parity.writeModel(dir.resolve("model")), TestModels.options());
                NDManager manager = model.manager().newSubManager();
                KvCache cache = model.network().newCache(manager)) {
            int vocab = model.config().vocabSize();
            int prefix = ids.length - CACHED_STEPS;
            float[] prefill = step(model, manager, cache, Arrays.copyOf(ids, prefix), prefix);
            assertThat(maxAbsDifference(prefill, Arrays.copyOf(expected, prefix * vocab)))
                    .as("%s prefill", name)
                    .isLessThanOrEqualTo(parity.tolerance());
            for (int t = prefix; t < ids.length; t++) {
                float[] logits = step(model, manager, cache, new long[] {ids[t]}, t + 1);
                float[] row = Arrays.copyOfRange(expected, t * vocab, (t + 1) * vocab);
                assertThat(maxAbsDifference(logits, row))
                        .as("%s position %d through the cache", name, t)
                        .isLessThanOrEqualTo(parity.tolerance());
            }
        }
    }

    /** So that the parity cannot hold by ignoring rope_scaling: the same weights with plain RoPE are far off. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "llama-3.2-1b",
                "llama-3.1-8b-rope-parameters",
                "qwen3-8b-yarn",
                "llama-2-linear",
                "llama-2-dynamic"
            })
    void withoutItsRopeScalingTheModelMissesTheReference(String name) {
        ParityCase parity = ParityCase.named(name);
        assertThat(parity.scalesRope()).isTrue();
        try (LanguageModel plain =
                LanguageModel.load(parity.writeUnscaledModel(dir.resolve("plain")), TestModels.options())) {
            assertThat(plain.config().ropeScaling()).isEqualTo(RopeScaling.NONE);
            assertThat(maxAbsDifference(fullForward(plain, parity.inputIds()), parity.expectedLogits()))
                    .isGreaterThan(1e-3);
        }
    }

    private static float[] fullForward(LanguageModel model, long[] ids) {
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray input = manager.create(ids, new Shape(1, ids.length));
            CausalLm network = model.network();
            return network.logits(network.hiddenStates(input, AttentionInputs.causal(manager, 1, ids.length), null))
                    .toFloatArray();
        }
    }

    /** Feeds {@code ids} after what the cache holds; {@code length} is the sequence length afterwards. */
    private static float[] step(LanguageModel model, NDManager manager, KvCache cache, long[] ids, int length) {
        boolean[][] mask = new boolean[1][length];
        Arrays.fill(mask[0], true);
        NDArray input = manager.create(ids, new Shape(1, ids.length));
        CausalLm network = model.network();
        return network.logits(network.hiddenStates(input, AttentionInputs.of(manager, mask, ids.length), cache))
                .toFloatArray();
    }

    private static double maxAbsDifference(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs((double) actual[i] - expected[i]));
        }
        return max;
    }
}
