package org.tsr.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.training.InvalidTrainingOptionException;

class TrlArgumentsTest {

    @Test
    void aDpoJobWithNoSettingsGetsTheEnginesDpoDefaults() {
        Map<String, Object> trl = TrlArguments.of(TrainingKind.DPO, TrainingSettings.defaults());

        assertThat(trl)
                .containsEntry("learning_rate", 1e-6)
                // the SR paper's linear decay to 1e-7: transformers' polynomial schedule with power 1
                .containsEntry("lr_scheduler_type", "polynomial")
                .containsEntry("lr_scheduler_kwargs", Map.of("lr_end", 1e-7, "power", 1.0))
                .containsEntry("warmup_steps", 0)
                .containsEntry("weight_decay", 0.0)
                .containsEntry("max_grad_norm", 1.0)
                .containsEntry("num_train_epochs", 1)
                .containsEntry("per_device_train_batch_size", 16)
                .containsEntry("gradient_accumulation_steps", 1)
                .containsEntry("seed", 42L)
                .containsEntry("save_strategy", "steps")
                .containsEntry("save_steps", 50)
                .containsEntry("beta", 0.1)
                .containsEntry("loss_type", List.of("sigmoid"))
                .doesNotContainKeys("loss_weights", "max_length", "peft", "disable_dropout", "completion_only_loss");
    }

    @Test
    void anSftJobWithNoSettingsGetsTheEnginesSftDefaultsAndLearnsTheResponseOnly() {
        Map<String, Object> trl = TrlArguments.of(TrainingKind.SFT, TrainingSettings.defaults());

        assertThat(trl)
                .containsEntry("learning_rate", 1e-4)
                .containsEntry("lr_scheduler_type", "cosine_with_min_lr")
                .containsEntry("lr_scheduler_kwargs", Map.of("min_lr", 1e-5))
                .containsEntry("num_train_epochs", 3)
                .containsEntry("per_device_train_batch_size", 16)
                .containsEntry("completion_only_loss", true)
                .doesNotContainKeys("beta", "loss_type", "loss_weights", "peft");
    }

    @Test
    void theNllTermOfRpoIsTrlsSftLossWeightedByRpoAlpha() {
        Map<String, Object> trl = TrlArguments.of(TrainingKind.DPO, settings("{\"rpoAlpha\":0.5,\"beta\":0.2}"));

        assertThat(trl)
                .containsEntry("beta", 0.2)
                .containsEntry("loss_type", List.of("sigmoid", "sft"))
                .containsEntry("loss_weights", List.of(1.0, 0.5));
    }

    @Test
    void lossTypesMapToTrlsLossesWithTheirLengthNormalisation() {
        assertThat(TrlArguments.of(TrainingKind.DPO, settings("{\"lossType\":\"hinge\"}")))
                .containsEntry("loss_type", List.of("hinge"));
        assertThat(TrlArguments.of(TrainingKind.DPO, settings("{\"lossType\":\"IPO\",\"lengthNormalized\":true}")))
                .containsEntry("loss_type", List.of("ipo"));
        assertThat(TrlArguments.of(TrainingKind.DPO, settings("{\"lengthNormalized\":true}")))
                .containsEntry("loss_type", List.of("sigmoid_norm"));
    }

    @Test
    void givenOptimisationSettingsReplaceTheDefaults() {
        Map<String, Object> trl = TrlArguments.of(
                TrainingKind.DPO,
                settings("{\"learningRate\":5e-7,\"minLearningRate\":0,\"warmupSteps\":10,\"weightDecay\":0.01,"
                        + "\"maxGradNorm\":0,\"epochs\":2,\"batchSize\":4,\"gradientAccumulationSteps\":8,"
                        + "\"seed\":7,\"checkpointEvery\":0,\"maxLength\":2048}"));

        assertThat(trl)
                .containsEntry("learning_rate", 5e-7)
                .containsEntry("lr_scheduler_type", "linear")
                .containsEntry("warmup_steps", 10)
                .containsEntry("weight_decay", 0.01)
                .containsEntry("max_grad_norm", 0.0)
                .containsEntry("num_train_epochs", 2)
                .containsEntry("per_device_train_batch_size", 4)
                .containsEntry("gradient_accumulation_steps", 8)
                .containsEntry("seed", 7L)
                .containsEntry("save_strategy", "no")
                .containsEntry("max_length", 2048)
                .doesNotContainKeys("save_steps", "lr_scheduler_kwargs");
    }

    @Test
    void schedulesWithoutADecayKeepTheWarmUp() {
        assertThat(TrlArguments.of(TrainingKind.SFT, settings("{\"schedule\":\"constant\",\"warmupSteps\":5}")))
                .containsEntry("lr_scheduler_type", "constant_with_warmup")
                .containsEntry("warmup_steps", 5);
        assertThat(TrlArguments.of(TrainingKind.DPO, settings("{\"learningRate\":1e-6,\"minLearningRate\":1e-6}")))
                .containsEntry("lr_scheduler_type", "constant_with_warmup");
        assertThat(TrlArguments.of(TrainingKind.SFT, settings("{\"minLearningRate\":0}")))
                .containsEntry("lr_scheduler_type", "cosine");
    }

    @Test
    void loraBecomesPeftArgumentsWithTheEnginesDefaultsAndKeepsItsDropoutInDpo() {
        Map<String, Object> trl = TrlArguments.of(TrainingKind.DPO, settings("{\"lora\":{}}"));

        assertThat(trl)
                .containsEntry(
                        "peft",
                        Map.of(
                                "r",
                                8,
                                "lora_alpha",
                                16.0,
                                "lora_dropout",
                                0.05,
                                "target_modules",
                                List.of("q_proj", "v_proj")))
                .containsEntry("disable_dropout", false);
        assertThat(TrlArguments.of(
                        TrainingKind.DPO,
                        settings("{\"lora\":{\"rank\":4,\"dropout\":0,\"targetModules\":[\"o_proj\",\"q_proj\"]}}")))
                .containsEntry(
                        "peft",
                        Map.of(
                                "r",
                                4,
                                "lora_alpha",
                                16.0,
                                "lora_dropout",
                                0.0,
                                "target_modules",
                                List.of("o_proj", "q_proj")))
                .doesNotContainKey("disable_dropout");
    }

    @Test
    void settingsTrlCannotTrainAsTheEngineWouldAreRefusedNamingTheSetting() {
        assertRefused(TrainingKind.DPO, "{\"labelSmoothing\":0.1}", "labelSmoothing");
        assertRefused(TrainingKind.DPO, "{\"lossType\":\"IPO\"}", "lengthNormalized");
        assertRefused(TrainingKind.DPO, "{\"lossType\":\"HINGE\",\"lengthNormalized\":true}", "lengthNormalized");
        assertRefused(TrainingKind.SFT, "{\"seed\":-1}", "seed");
        assertRefused(TrainingKind.SFT, "{\"seed\":4294967296}", "seed");
        assertRefused(TrainingKind.DPO, "{\"maxConsecutiveNonFiniteSteps\":3}", "maxConsecutiveNonFiniteSteps");
        assertRefused(TrainingKind.SFT, "{\"snapshotEvery\":10}", "snapshotEvery");
    }

    @Test
    void settingsOutOfTheEnginesRangeAreRefusedAsTheEngineRefusesThem() {
        TrainingSettings minAbovePeak = new TrainingSettings(
                1e-6, 1e-5, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);

        assertThatThrownBy(() -> TrlArguments.of(TrainingKind.DPO, minAbovePeak))
                .isInstanceOfSatisfying(
                        InvalidTrainingOptionException.class,
                        e -> assertThat(e.field()).isEqualTo("minLearningRate"));
    }

    private static void assertRefused(TrainingKind kind, String json, String field) {
        assertThatThrownBy(() -> TrlArguments.of(kind, settings(json)))
                .isInstanceOfSatisfying(
                        InvalidTrainingOptionException.class,
                        e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(field + ":");
    }

    private static TrainingSettings settings(String json) {
        return JobJson.settings(json, TrainingKind.DPO);
    }
}
