package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.checkpoint.CheckpointException;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.ResponseLikelihood;
import org.tsr.engine.scoring.SequenceScorer;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.DpoOptions;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;

class LoraTrainingTest {

    static final LoraOptions LORA = new LoraOptions(
            8,
            16,
            0.05,
            EnumSet.of(LinearModule.Q_PROJ, LinearModule.V_PROJ, LinearModule.GATE_PROJ, LinearModule.DOWN_PROJ));

    static final TrainingOptions OPTIONS = TrainingOptions.builder()
            .learningRate(1e-2, 1e-3)
            .schedule(LearningRateSchedule.Kind.COSINE, 1)
            .batches(3, 4, 1)
            .build();

    @TempDir
    Path dir;

    @Test
    void loraDpoRaisesTheMarginTrainingOnlyTheAdaptersAndTheReferenceIsTheBaseWithAdaptersOff() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
            Map<String, float[]> base = TrainingFixtures.weights(model);
            LoraAdapters adapters = LORA.attachTo(model, 42);
            double before = meanMargin(model, pairs);
            List<StepMetrics> steps = new ArrayList<>();

            TrainingResult result = new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), OPTIONS)
                    .train(pairs, steps::add, null);

            double after = meanMargin(model, pairs);
            System.out.printf(
                    "LoRA DPO on the tiny model: margin before %.4f, after %.4f nats over %d steps%n",
                    before, after, result.steps());
            assertThat(before).isEqualTo(0.0, within(1e-4));
            assertThat(after).isGreaterThan(1.0);
            assertThat(steps.get(0).loss()).isEqualTo(Math.log(2), within(1e-4));
            assertThat(result.last().rewardsAccuracies()).isEqualTo(1.0);
            TrainingFixtures.assertSameWeights(TrainingFixtures.weights(model), base);
            for (NamedParameter parameter : adapters.parameters()) {
                if (parameter.name().endsWith("lora_B.weight")) {
                    float[] values = parameter.parameter().getArray().toFloatArray();
                    assertThat(maxAbs(values)).as(parameter.name()).isGreaterThan(0f);
                }
            }
            // the reference scores the base: the adapters are off, though they have learnt
            List<PreferenceExample> again = ReferenceLogProbs.compute(model, pairs, 8);
            for (int i = 0; i < pairs.size(); i++) {
                assertThat(again.get(i).referenceChosenLogp())
                        .isEqualTo(pairs.get(i).referenceChosenLogp(), within(1e-4));
                assertThat(again.get(i).referenceRejectedLogp())
                        .isEqualTo(pairs.get(i).referenceRejectedLogp(), within(1e-4));
            }
            assertThat(adapters.enabled()).isTrue();
        }
    }

    @Test
    void theSavedModelHasTheAdaptersMergedAndScoresAsTheAdaptedModel() {
        Path merged = dir.resolve("merged");
        List<PromptResponse> rows;
        List<ResponseLikelihood> adapted;
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
            LORA.attachTo(model, 42);
            new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), OPTIONS)
                    .train(pairs, TrainingListener.NONE, null);
            rows = rows(pairs);
            adapted = new SequenceScorer(model).score(rows, false);

            model.save(merged);
        }

        try (LanguageModel plain = TrainingFixtures.load(merged)) {
            assertThat(plain.network().lora()).isEmpty();
            List<ResponseLikelihood> loaded = new SequenceScorer(plain).score(rows, false);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(loaded.get(i).sumLogProb())
                        .as("row %d", i)
                        .isEqualTo(adapted.get(i).sumLogProb(), within(1e-3));
            }
        }
    }

    @Test
    void anInterruptedLoraRunResumesToTheAdaptersOfAnUninterruptedOneDropoutIncluded() {
        Path base = TrainingFixtures.tinyModel(dir.resolve("m0"));
        TrainingOptions options = OPTIONS.toBuilder().checkpointEvery(2).seed(5).build();
        Map<String, float[]> uninterrupted;
        try (LanguageModel model = TrainingFixtures.load(base)) {
            uninterrupted = adapterWeights(trainLora(model, options, TrainingListener.NONE, null));
        }

        Path checkpoints = dir.resolve("checkpoint");
        try (LanguageModel model = TrainingFixtures.load(base)) {
            TrainingListener crashAtStep3 = metrics -> {
                if (metrics.step() == 3) {
                    throw new IllegalStateException("killed");
                }
            };
            assertThatThrownBy(() -> trainLora(model, options, crashAtStep3, checkpoints))
                    .hasMessage("killed");
        }
        assertThat(Files.exists(checkpoints.resolve("adapter/adapter_model.safetensors")))
                .isTrue();
        assertThat(Files.exists(checkpoints.resolve("adapter/adapter_config.json")))
                .isTrue();
        assertThat(Files.exists(checkpoints.resolve("model"))).isFalse();

        try (LanguageModel model = TrainingFixtures.load(base)) {
            Map<String, float[]> baseWeights = TrainingFixtures.weights(model);
            LoraAdapters adapters = trainLora(model, options, TrainingListener.NONE, checkpoints);

            TrainingFixtures.assertSameWeights(adapterWeights(adapters), uninterrupted);
            TrainingFixtures.assertSameWeights(TrainingFixtures.weights(model), baseWeights);
        }
    }

    @Test
    void aLoraRunRefusesTheCheckpointOfAFullParameterRunAndOfOtherAdapters() {
        Path base = TrainingFixtures.tinyModel(dir.resolve("m0"));
        Path full = dir.resolve("full");
        Path lora = dir.resolve("lora");
        TrainingOptions options = OPTIONS.toBuilder().checkpointEvery(2).build();
        try (LanguageModel model = TrainingFixtures.load(base)) {
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
            new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), options)
                    .train(pairs, TrainingListener.NONE, full);
        }
        try (LanguageModel model = TrainingFixtures.load(base)) {
            assertThatThrownBy(() -> trainLora(model, options, TrainingListener.NONE, full))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("of a full-parameter run; this run trains LoRA adapters");
        }
        try (LanguageModel model = TrainingFixtures.load(base)) {
            trainLora(model, options, TrainingListener.NONE, lora);
        }
        try (LanguageModel model = TrainingFixtures.load(base)) {
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
            new LoraOptions(4, 16, 0.05, LORA.targetModules()).attachTo(model, 1);

            assertThatThrownBy(() -> new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), options)
                            .train(pairs, TrainingListener.NONE, lora))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("the saved adapters are rank 8");
        }
    }

    @Test
    void loraOptionsOutOfRangeNameTheirField() {
        assertField(() -> new LoraOptions(0, 16, 0, LORA.targetModules()), "lora.rank");
        assertField(() -> new LoraOptions(8, 0, 0, LORA.targetModules()), "lora.alpha");
        assertField(() -> new LoraOptions(8, 16, 1, LORA.targetModules()), "lora.dropout");
        assertField(() -> new LoraOptions(8, 16, -0.1, LORA.targetModules()), "lora.dropout");
        assertField(() -> LoraOptions.of(8, 16, 0, List.of()), "lora.targetModules");
        assertThatThrownBy(() -> LoraOptions.of(8, 16, 0, List.of("q_proj", "qkv_proj")))
                .isInstanceOf(InvalidTrainingOptionException.class)
                .hasMessageContaining("unknown module 'qkv_proj'")
                .satisfies(e ->
                        assertThat(((InvalidTrainingOptionException) e).field()).isEqualTo("lora.targetModules"));
        assertThat(LoraOptions.of(4, 8, 0.1, List.of("v_proj", "q_proj")).targetModules())
                .containsExactlyInAnyOrder(LinearModule.Q_PROJ, LinearModule.V_PROJ);
    }

    private static void assertField(Runnable create, String field) {
        assertThatThrownBy(create::run)
                .isInstanceOf(InvalidTrainingOptionException.class)
                .satisfies(e ->
                        assertThat(((InvalidTrainingOptionException) e).field()).isEqualTo(field));
    }

    private static LoraAdapters trainLora(
            LanguageModel model, TrainingOptions options, TrainingListener listener, Path checkpoints) {
        List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
        LoraAdapters adapters = LORA.attachTo(model, options.seed());
        new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), options)
                .train(pairs, listener, checkpoints);
        return adapters;
    }

    private static Map<String, float[]> adapterWeights(LoraAdapters adapters) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (NamedParameter parameter : adapters.parameters()) {
            weights.put(parameter.name(), parameter.parameter().getArray().toFloatArray());
        }
        return weights;
    }

    private static List<PromptResponse> rows(List<PreferenceExample> pairs) {
        List<PromptResponse> rows = new ArrayList<>();
        pairs.forEach(pair -> rows.add(new PromptResponse(pair.promptIds(), pair.chosenIds())));
        pairs.forEach(pair -> rows.add(new PromptResponse(pair.promptIds(), pair.rejectedIds())));
        return rows;
    }

    /** Mean of (policy chosen - policy rejected) - (reference chosen - reference rejected), the policy adapted. */
    private static double meanMargin(LanguageModel policy, List<PreferenceExample> withReference) {
        List<ResponseLikelihood> scores = new SequenceScorer(policy).score(rows(withReference), false);
        int n = withReference.size();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            PreferenceExample reference = withReference.get(i);
            sum += (scores.get(i).sumLogProb() - scores.get(n + i).sumLogProb())
                    - (reference.referenceChosenLogp() - reference.referenceRejectedLogp());
        }
        return sum / n;
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float value : values) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }
}
