package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.sampling.Generator;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.DpoOptions;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;

class TrainerMemoryTest {

    @TempDir
    Path dir;

    @Test
    void trainingLeavesNoNativeArraysBehindButTheWeights() {
        try (LanguageModel model =
                LanguageModel.load(TestModels.write(dir.resolve("m"), TestModels.llama(), 8), TestModels.options())) {
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
            TrainingOptions options = TrainingOptions.builder()
                    .learningRate(1e-3, 1e-4)
                    .batches(3, 2, 2)
                    .checkpointEvery(2)
                    .build();
            Trainer<PreferenceExample> trainer =
                    new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), options);
            trainer.train(pairs, TrainingListener.NONE, dir.resolve("c1"));
            // the engine's root manager sees every array of every manager below it
            NDManager root = model.manager().getParentManager();
            int before = root.getManagedArrays().size();

            TrainingResult result = trainer.train(pairs, TrainingListener.NONE, dir.resolve("c2"));

            assertThat(result.steps()).isEqualTo(6);
            assertThat(root.getManagedArrays()).hasSize(before);
            assertThat(model.manager().getManagedArrays())
                    .hasSize(model.network().namedParameters().size());
        }
    }

    @Test
    void loraTrainingDecodingAndSavingLeaveNoNativeArraysBehindButTheWeightsAndAdapters() {
        try (LanguageModel model =
                LanguageModel.load(TestModels.write(dir.resolve("m"), TestModels.qwen2(), 8), TestModels.options())) {
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
            LoraAdapters adapters = new LoraOptions(4, 8, 0.1, EnumSet.allOf(LinearModule.class)).attachTo(model, 1);
            TrainingOptions options = TrainingOptions.builder()
                    .learningRate(1e-2, 1e-3)
                    .batches(3, 2, 2)
                    .checkpointEvery(2)
                    .build();
            Trainer<PreferenceExample> trainer =
                    new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), options);
            Generator generator = new Generator(model);
            trainer.train(pairs, TrainingListener.NONE, dir.resolve("c1"));
            generator.generate(List.of("sort: cba"), SamplingSettings.greedy(8));
            NDManager root = model.manager().getParentManager();
            int before = root.getManagedArrays().size();

            trainer.train(pairs, TrainingListener.NONE, dir.resolve("c2"));
            generator.generate(List.of("sort: cba"), SamplingSettings.greedy(8));
            ReferenceLogProbs.compute(model, pairs, 8);
            model.save(dir.resolve("merged"));

            assertThat(root.getManagedArrays()).hasSize(before);
            assertThat(model.manager().getManagedArrays())
                    .hasSize(model.network().namedParameters().size()
                            + adapters.parameters().size());
        }
    }
}
