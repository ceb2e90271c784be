package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.checkpoint.SafetensorsReader;
import org.tsr.engine.model.InferenceMode;
import org.tsr.engine.model.Scalars;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.DpoOptions;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;
import org.tsr.engine.training.sft.SftObjective;

class FiniteLossGuardTest {

    /** 4 epochs of 2 steps of 4 examples. */
    static final TrainingOptions OPTIONS =
            TrainingOptions.builder().learningRate(1e-3, 1e-3).batches(4, 4, 1).build();

    @TempDir
    Path dir;

    @Test
    void aNonFiniteLossInSftRollsBackToTheLastGoodStepAndRestartsAdamW() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            Path checkpoints = dir.resolve("checkpoint");
            Recorder recorder = new Recorder(model, checkpoints);

            TrainingResult result = new Trainer<>(
                            model,
                            poisoned(sft(model), pass -> pass == 2, Float.NaN),
                            OPTIONS.toBuilder().checkpointEvery(1).build())
                    .train(TrainingFixtures.sortingExamples(model), recorder, checkpoints);

            recorder.assertRolledBackOnThirdStep("loss");
            assertThat(result.steps()).isEqualTo(8);
            assertThat(result.nonFiniteSteps()).isEqualTo(1);
            assertThat(recorder.steps.get(3).skipped()).isFalse();
            assertThat(recorder.steps.get(7).nonFiniteSteps()).isEqualTo(1);
            assertThat(recorder.steps.get(7).loss())
                    .isLessThan(recorder.steps.get(0).loss());
            assertThat(TrainableParameters.all(model.network()).firstNonFinite())
                    .isEmpty();
        }
    }

    @Test
    void aNonFiniteLossInDpoRollsBackToTheLastGoodStepAndRestartsAdamW() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
            Path checkpoints = dir.resolve("checkpoint");
            Recorder recorder = new Recorder(model, checkpoints);
            Objective<PreferenceExample> dpo = new DpoObjective(model, DpoOptions.sigmoid(0.1));

            TrainingResult result = new Trainer<>(
                            model,
                            poisoned(dpo, pass -> pass == 2, Float.NaN),
                            OPTIONS.toBuilder().checkpointEvery(1).build())
                    .train(pairs, recorder, checkpoints);

            recorder.assertRolledBackOnThirdStep("loss");
            assertThat(result.nonFiniteSteps()).isEqualTo(1);
            assertThat(result.last().rewardsMargins()).isPositive();
        }
    }

    @Test
    void anExplodingGradientIsRolledBackLikeANonFiniteLoss() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            Path checkpoints = dir.resolve("checkpoint");
            Recorder recorder = new Recorder(model, checkpoints);

            // a finite loss whose gradient's squared norm overflows float32
            new Trainer<>(
                            model,
                            poisoned(sft(model), pass -> pass == 2, 1e30f),
                            OPTIONS.toBuilder().checkpointEvery(1).build())
                    .train(TrainingFixtures.sortingExamples(model), recorder, checkpoints);

            assertThat(recorder.steps.get(2).loss()).isNaN();
            recorder.assertRolledBackOnThirdStep("gradient");
        }
    }

    @Test
    void aNonFiniteParameterAfterAnUpdateIsRolledBackToTheSnapshotOfEveryOtherStep() {
        // untied head: the embedding row of a character the data never uses takes part in no forward pass
        Path modelDir = TestModels.write(dir.resolve("m0"), TestModels.qwen2(), 3);
        try (LanguageModel model = TrainingFixtures.load(modelDir)) {
            int unused = TestModels.VOCABULARY.id("Z");
            int hidden = model.config().hiddenSize();
            Map<Integer, Map<String, float[]>> weightsAfter = new LinkedHashMap<>();
            List<StepMetrics> steps = new ArrayList<>();
            TrainingListener listener = metrics -> {
                steps.add(metrics);
                weightsAfter.put(metrics.step(), TrainingFixtures.weights(model));
                if (metrics.step() == 3) {
                    // the state a faulty update leaves: one value overflowed; the next update keeps it infinite
                    float[] embedding = weightsAfter.get(3).get("model.embed_tokens.weight");
                    embedding[unused * hidden] = Float.POSITIVE_INFINITY;
                    set(model, "model.embed_tokens.weight", embedding);
                }
            };

            TrainingResult result = new Trainer<>(
                            model,
                            sft(model),
                            OPTIONS.toBuilder().snapshotEvery(2).build())
                    .train(TrainingFixtures.sortingExamples(model), listener, null);

            StepMetrics faulty = steps.get(3);
            assertThat(faulty.skipped()).isTrue();
            assertThat(faulty.nonFinite()).isEqualTo("parameter model.embed_tokens.weight after the update");
            assertThat(faulty.loss()).isNaN();
            // snapshots on steps 0, 2, 4...: the update of step 3 goes back to the parameters step 2 started from
            assertThat(faulty.restoredStep()).isEqualTo(2);
            TrainingFixtures.assertSameWeights(weightsAfter.get(4), weightsAfter.get(2));
            assertThat(steps.get(4).skipped()).isFalse();
            assertThat(result.nonFiniteSteps()).isEqualTo(1);
            assertThat(TrainableParameters.all(model.network()).firstNonFinite())
                    .isEmpty();
        }
    }

    @Test
    void repeatedNonFiniteStepsFailTheRunNamingWhatWasNotFiniteWithTheLastGoodWeights() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            Map<String, float[]> initial = TrainingFixtures.weights(model);
            List<StepMetrics> steps = new ArrayList<>();
            TrainingListener listener = steps::add;

            assertThatThrownBy(() -> new Trainer<>(model, poisoned(sft(model), pass -> pass >= 1, Float.NaN), OPTIONS)
                            .train(TrainingFixtures.sortingExamples(model), listener, null))
                    .isInstanceOf(NonFiniteLossException.class)
                    .hasMessageContaining("the loss was not finite on 2 steps in a row (up to step 3)")
                    // the weights after step 1 never gave a finite loss, so the good ones are those it started from
                    .hasMessageContaining("the parameters of step 0 were restored");

            assertThat(steps).hasSize(3);
            assertThat(steps.get(2).nonFiniteSteps()).isEqualTo(2);
            TrainingFixtures.assertSameWeights(TrainingFixtures.weights(model), initial);
        }
    }

    @Test
    void aModelWhoseParametersAreNotFiniteToBeginWithFailsBeforeTheFirstStepNamingTheParameter() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            float[] norm = TrainingFixtures.weights(model).get("model.norm.weight");
            norm[3] = Float.NaN;
            set(model, "model.norm.weight", norm);
            List<StepMetrics> steps = new ArrayList<>();

            assertThatThrownBy(() -> new Trainer<>(model, sft(model), OPTIONS)
                            .train(TrainingFixtures.sortingExamples(model), steps::add, null))
                    .isInstanceOf(NonFiniteLossException.class)
                    .hasMessageContaining("parameter model.norm.weight is not finite before the first step");

            assertThat(steps).isEmpty();
        }
    }

    @Test
    void theSnapshotHasTheParametersItWasTakenFromAndRestoresThemInPlace() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            Map<String, float[]> original = TrainingFixtures.weights(model);
            TrainableParameters parameters = TrainableParameters.all(model.network());
            try (ParameterSnapshot snapshot = new ParameterSnapshot(model.manager(), parameters)) {
                long start = System.nanoTime();
                int takes = 50;
                for (int i = 0; i < takes; i++) {
                    snapshot.take(i);
                }
                double takeMillis = (System.nanoTime() - start) / 1e6 / takes;
                start = System.nanoTime();
                for (int i = 0; i < takes; i++) {
                    assertThat(parameters.firstNonFinite()).isEmpty();
                }
                double checkMillis = (System.nanoTime() - start) / 1e6 / takes;
                System.out.printf(
                        "tiny model (%d parameters): snapshot %.2f ms, finiteness check %.2f ms%n",
                        original.values().stream().mapToInt(a -> a.length).sum(), takeMillis, checkMillis);

                float[] embedding = original.get("model.embed_tokens.weight").clone();
                embedding[5] = Float.NaN;
                set(model, "model.embed_tokens.weight", embedding);
                assertThat(parameters.firstNonFinite()).contains("model.embed_tokens.weight");

                snapshot.restore();

                assertThat(snapshot.step()).isEqualTo(takes - 1);
                TrainingFixtures.assertSameWeights(TrainingFixtures.weights(model), original);
            }
        }
    }

    /** Records every step, the weights after each, and the training checkpoint written after the third. */
    private static final class Recorder implements TrainingListener {

        final List<StepMetrics> steps = new ArrayList<>();
        final Map<Integer, Map<String, float[]>> weightsAfter = new LinkedHashMap<>();
        private final LanguageModel model;
        private final Path checkpoints;
        private TrainerState stateAtStep3;
        private float[] largestMomentAtStep3;

        Recorder(LanguageModel model, Path checkpoints) {
            this.model = model;
            this.checkpoints = checkpoints;
        }

        @Override
        public void onStep(StepMetrics metrics) {
            steps.add(metrics);
            weightsAfter.put(metrics.step(), TrainingFixtures.weights(model));
        }

        @Override
        public void onCheckpoint(int step) {
            if (step != 3) {
                return;
            }
            stateAtStep3 = TrainingCheckpoint.find(checkpoints).orElseThrow().state();
            float largest = 0;
            try (SafetensorsReader reader = SafetensorsReader.open(checkpoints.resolve("optimizer.safetensors"))) {
                for (String name : reader.entries().keySet()) {
                    for (float value : reader.readFloats(name)) {
                        largest = Math.max(largest, Math.abs(value));
                    }
                }
            }
            largestMomentAtStep3 = new float[] {largest};
        }

        /** Step index 2 (the third) was not finite: back to the weights the second step started from. */
        void assertRolledBackOnThirdStep(String what) {
            StepMetrics third = steps.get(2);
            assertThat(third.skipped()).isTrue();
            assertThat(third.nonFinite()).isEqualTo(what);
            assertThat(third.nonFiniteSteps()).isEqualTo(1);
            assertThat(third.restoredStep()).isEqualTo(1);
            assertThat(third.asMap()).containsEntry("non_finite", what).containsEntry("restored_step", 1);
            TrainingFixtures.assertSameWeights(weightsAfter.get(3), weightsAfter.get(1));
            assertThat(weightsAfter.get(2).get("model.embed_tokens.weight"))
                    .isNotEqualTo(weightsAfter.get(1).get("model.embed_tokens.weight"));
            // AdamW started over: no update counted and all moments zero
            assertThat(stateAtStep3.optimizerSteps()).isZero();
            assertThat(stateAtStep3.nonFiniteSteps()).isEqualTo(1);
            assertThat(largestMomentAtStep3[0]).isZero();
            assertThat(steps.get(3).skipped()).isFalse();
        }
    }

    /** The objective with the loss of the forward passes {@code pick} chooses multiplied by {@code factor}. */
    private static <T> Objective<T> poisoned(Objective<T> objective, IntPredicate pick, float factor) {
        int[] passes = {0};
        return (manager, batch) -> {
            BatchLoss loss = objective.forward(manager, batch);
            return pick.test(passes[0]++)
                    ? new BatchLoss(Scalars.times(loss.loss(), factor), loss.rows(), loss.tokens(), loss.pairs())
                    : loss;
        };
    }

    private static SftObjective sft(LanguageModel model) {
        return new SftObjective(model);
    }

    private static void set(LanguageModel model, String name, float[] values) {
        try (InferenceMode noGradients = InferenceMode.enter()) {
            model.network().namedParameters().stream()
                    .filter(parameter -> parameter.name().equals(name))
                    .findFirst()
                    .orElseThrow()
                    .parameter()
                    .getArray()
                    .set(values);
        }
    }
}
