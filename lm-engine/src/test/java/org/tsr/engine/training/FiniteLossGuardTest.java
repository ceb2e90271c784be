package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.training.sft.SftObjective;

class FiniteLossGuardTest {

    static final TrainingOptions OPTIONS =
            TrainingOptions.defaults().withLearningRate(1e-3, 1e-3).withBatches(4, 4, 1);

    @TempDir
    Path dir;

    @Test
    void aNonFiniteStepIsSkippedAndCountedAndTrainingGoesOn() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir))) {
            List<StepMetrics> steps = new ArrayList<>();
            float[] beforePoison = new float[1];
            TrainingListener listener = metrics -> {
                steps.add(metrics);
                if (metrics.step() == 1) {
                    beforePoison[0] = embedding(model)[0];
                }
            };

            TrainingResult result = train(model, pass -> pass == 1, listener);

            assertThat(result.steps()).isEqualTo(8);
            assertThat(result.nonFiniteSteps()).isEqualTo(1);
            assertThat(steps.get(1).skipped()).isTrue();
            assertThat(steps.get(1).asMap().get("loss")).isNull();
            assertThat(steps.get(2).skipped()).isFalse();
            assertThat(steps.get(7).nonFiniteSteps()).isEqualTo(1);
            assertThat(steps.get(7).loss()).isLessThan(steps.get(0).loss());
            for (float value : embedding(model)) {
                assertThat(value).isFinite();
            }
        }
    }

    @Test
    void repeatedNonFiniteStepsFailTheRunWithTheWeightsUntouched() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir))) {
            float[] initial = embedding(model);

            assertThatThrownBy(() -> train(model, pass -> true, TrainingListener.NONE))
                    .isInstanceOf(NonFiniteLossException.class)
                    .hasMessageContaining("2 steps in a row");

            assertThat(embedding(model)).containsExactly(initial);
        }
    }

    /** SFT on the sorting answers, with the loss of the forward passes {@code poisoned} picks made NaN. */
    private static TrainingResult train(LanguageModel model, IntPredicate poisoned, TrainingListener listener) {
        ExampleEncoder encoder = new ExampleEncoder(model, false, 64);
        List<PromptResponse> examples = TrainingFixtures.SORTING.stream()
                .map(pair -> encoder.encode(pair[0], pair[1]))
                .toList();
        SftObjective sft = new SftObjective(model);
        int[] passes = {0};
        Objective<PromptResponse> objective = (manager, batch) -> {
            BatchLoss loss = sft.forward(manager, batch);
            return poisoned.test(passes[0]++)
                    ? new BatchLoss(loss.loss().mul(Float.NaN), loss.rows(), loss.tokens(), null)
                    : loss;
        };
        return new Trainer<>(model, objective, OPTIONS).train(examples, listener, null);
    }

    private static float[] embedding(LanguageModel model) {
        return model.network().namedParameters().get(0).parameter().getArray().toFloatArray();
    }
}
