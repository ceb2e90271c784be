package org.tsr.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.checkpoint.SafetensorsWriter;

class ForwardPassTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama-tied", "qwen2-bias-untied", "llama-attention-bias"})
    void logitsMatchThePlainReferenceImplementation(String variant) {
        ModelConfig config = switch (variant) {
            case "llama-tied" -> TestModels.llama();
            case "qwen2-bias-untied" -> TestModels.qwen2();
            default -> TestModels.config(Architecture.LLAMA, false, true, true);
        };
        TestModels.write(dir, config, 11);
        Map<String, float[]> weights = new HashMap<>();
        for (SafetensorsWriter.Tensor tensor : TestModels.randomTensors(config, 11)) {
            weights.put(tensor.name(), tensor.data());
        }
        long[][] sequences = {{5, 17, 40, 41, 90, 7, 33, 12, 60}, {8, 8, 9, 70, 3, 21, 22, 23, 99}};
        try (LanguageModel model = LanguageModel.load(dir, TestModels.options());
                NDManager manager = model.manager().newSubManager()) {
            int time = sequences[0].length;
            NDArray ids = manager.create(new long[][] {sequences[0], sequences[1]});
            NDArray logits = model.network()
                    .logits(model.network().hiddenStates(ids, AttentionInputs.causal(manager, 2, time), null));
            assertThat(logits.getShape()).isEqualTo(new Shape(2, time, config.vocabSize()));
            float[] actual = logits.toFloatArray();
            NDArray viaDjlForward = model.network()
                    .forward(new ai.djl.training.ParameterStore(manager, false), new ai.djl.ndarray.NDList(ids), false)
                    .singletonOrThrow();
            assertThat(viaDjlForward.toFloatArray()).containsExactly(logits.toFloatArray());
            ReferenceLlama reference = new ReferenceLlama(config, weights);
            for (int b = 0; b < 2; b++) {
                float[][] expected = reference.logits(sequences[b]);
                for (int t = 0; t < time; t++) {
                    for (int v = 0; v < config.vocabSize(); v++) {
                        float got = actual[(b * time + t) * config.vocabSize() + v];
                        assertThat(got)
                                .as("row %d position %d token %d", b, t, v)
                                .isCloseTo(expected[t][v], org.assertj.core.data.Offset.offset(1e-4f));
                    }
                }
            }
        }
    }
}
