package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.checkpoint.HfWeights;
import org.tsr.engine.checkpoint.TensorDtype;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.DpoOptions;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;

class TrainerResumeTest {

    /** Accumulation, clipping, decay, warm-up and cosine all in play, and two epochs so the order reshuffles. */
    static final TrainingOptions OPTIONS = TrainingOptions.builder()
            .learningRate(1e-3, 1e-5)
            .schedule(LearningRateSchedule.Kind.COSINE, 2)
            .regularisation(0.01, 0.5)
            .batches(2, 2, 2)
            .seed(5)
            .checkpointEvery(2)
            .build();

    @TempDir
    Path dir;

    @Test
    void aRunInterruptedAfterACheckpointAndResumedEndsWithTheWeightsOfAnUninterruptedRun() {
        assertResumesExactly(TrainingFixtures.tinyModel(dir.resolve("m0")));
    }

    @Test
    void aRunFromABfloat16BaseResumesFromTheUnroundedWeights() {
        Path base = TrainingFixtures.tinyModel(dir.resolve("m0"));
        try (LanguageModel model = TrainingFixtures.load(base)) {
            Map<String, TensorDtype> bfloat16 = new LinkedHashMap<>();
            model.network().namedParameters().forEach(p -> bfloat16.put(p.name(), TensorDtype.BF16));
            HfWeights.save(model.network(), base, HfWeights.DEFAULT_MAX_SHARD_BYTES, bfloat16);
        }
        assertResumesExactly(base);
    }

    private void assertResumesExactly(Path base) {
        Map<String, float[]> uninterrupted;
        try (LanguageModel model = TrainingFixtures.load(base)) {
            train(model, TrainingListener.NONE, null);
            uninterrupted = TrainingFixtures.weights(model);
        }

        Path checkpoints = dir.resolve("checkpoint");
        try (LanguageModel model = TrainingFixtures.load(base)) {
            TrainingListener crashAtStep3 = metrics -> {
                if (metrics.step() == 3) {
                    throw new IllegalStateException("killed");
                }
            };
            assertThatThrownBy(() -> train(model, crashAtStep3, checkpoints)).hasMessage("killed");
        }
        assertThat(TrainingCheckpoint.find(checkpoints).orElseThrow().state().step())
                .isEqualTo(2);

        try (LanguageModel model = TrainingFixtures.load(base)) {
            TrainingResult resumed = train(model, TrainingListener.NONE, checkpoints);

            assertThat(resumed.resumedFromStep()).isEqualTo(2);
            assertThat(resumed.steps()).isEqualTo(4);
            Map<String, float[]> after = TrainingFixtures.weights(model);
            for (Map.Entry<String, float[]> entry : uninterrupted.entrySet()) {
                assertThat(after.get(entry.getKey())).as(entry.getKey()).containsExactly(entry.getValue());
            }
            assertThat(after.get("model.embed_tokens.weight"))
                    .isNotEqualTo(weightsOf(base).get("model.embed_tokens.weight"));
        }
    }

    @Test
    void refusesACheckpointOfAnotherDataset() {
        Path base = TrainingFixtures.tinyModel(dir.resolve("m0"));
        Path checkpoints = dir.resolve("checkpoint");
        try (LanguageModel model = TrainingFixtures.load(base)) {
            train(model, TrainingListener.NONE, checkpoints);
            assertThat(Files.exists(checkpoints.resolve("model/model.safetensors")))
                    .isTrue();
            List<PreferenceExample> fewer = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8)
                    .subList(0, 6);

            assertThatThrownBy(() -> new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), OPTIONS)
                            .train(fewer, TrainingListener.NONE, checkpoints))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("8 examples");
        }
    }

    private static TrainingResult train(LanguageModel model, TrainingListener listener, Path checkpoints) {
        List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
        return new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), OPTIONS)
                .train(pairs, listener, checkpoints);
    }

    private static Map<String, float[]> weightsOf(Path modelDir) {
        try (LanguageModel model = TrainingFixtures.load(modelDir)) {
            return TrainingFixtures.weights(model);
        }
    }
}
