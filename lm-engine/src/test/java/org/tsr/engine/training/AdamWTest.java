package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.SequenceScorer;

class AdamWTest {

    @TempDir
    Path dir;

    @Test
    void firstStepMovesEachWeightByTheLearningRateAlongItsGradientSignAndDecaysOnlyMatrices() {
        try (LanguageModel model =
                LanguageModel.load(TestModels.write(dir, TestModels.llama(), 3), TestModels.options())) {
            TrainableParameters parameters = TrainableParameters.all(model.network());
            backward(model);
            NamedParameter matrix = find(parameters, "model.embed_tokens.weight");
            NamedParameter norm = find(parameters, "model.norm.weight");
            float[][] before = {values(matrix), values(norm)};
            float[][] gradients = {gradient(matrix), gradient(norm)};
            double squares = 0;
            for (NamedParameter parameter : parameters.list()) {
                for (float g : gradient(parameter)) {
                    squares += (double) g * g;
                }
            }
            assertThat(parameters.globalGradientNorm())
                    .isCloseTo(Math.sqrt(squares), within(1e-4 * Math.sqrt(squares)));

            TrainingOptions options =
                    TrainingOptions.builder().regularisation(0.1, 0).build();
            try (AdamW optimizer = new AdamW(model.manager(), parameters, options)) {
                optimizer.step(0.01, 1.0);
            }

            // step 1: bias-corrected moments are g and g^2, so the update is lr * g / (|g| + eps)
            float[] after = values(matrix);
            for (int i = 0; i < after.length; i++) {
                double g = gradients[0][i];
                double expected = before[0][i] * (1 - 0.01 * 0.1) - 0.01 * g / (Math.abs(g) + 1e-8);
                assertThat((double) after[i]).as("embedding %d", i).isCloseTo(expected, within(1e-6));
            }
            float[] normAfter = values(norm);
            for (int i = 0; i < normAfter.length; i++) {
                double g = gradients[1][i];
                double expected = before[1][i] - 0.01 * g / (Math.abs(g) + 1e-8);
                assertThat((double) normAfter[i]).as("norm %d", i).isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void zeroingClearsGradientsEvenWhenTheyAreNaN() {
        try (LanguageModel model =
                LanguageModel.load(TestModels.write(dir, TestModels.llama(), 3), TestModels.options())) {
            TrainableParameters parameters = TrainableParameters.all(model.network());
            backward(model);
            NDArray embedding =
                    find(parameters, "model.embed_tokens.weight").parameter().getArray();
            try (NDArray gradient = embedding.getGradient()) {
                gradient.muli(Float.NaN);
            }
            assertThat(parameters.globalGradientNorm()).isNaN();

            parameters.zeroGradients();

            assertThat(parameters.globalGradientNorm()).isZero();
        }
    }

    private static void backward(LanguageModel model) {
        SequenceScorer scorer = new SequenceScorer(model);
        try (NDManager manager = model.manager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(scorer.logProbs(
                            manager, List.of(new PromptResponse(new long[] {10, 11}, new long[] {20, 21, 22})))
                    .sums()
                    .sum()
                    .neg());
        }
    }

    private static NamedParameter find(TrainableParameters parameters, String name) {
        return parameters.list().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static float[] values(NamedParameter parameter) {
        return parameter.parameter().getArray().toFloatArray();
    }

    private static float[] gradient(NamedParameter parameter) {
        try (NDArray gradient = parameter.parameter().getArray().getGradient()) {
            return gradient.toFloatArray();
        }
    }
}
