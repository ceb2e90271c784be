package org.tsr.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.store.run.Run;
import org.tsr.store.run.RunMethod;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class RunSettingsJsonTest {

    final RunSettingsJson settingsJson = new RunSettingsJson();

    @Test
    void aRunStoredBeforePairwiseEvaluationExistedStillReadsWithTheDefaults() {
        RunSettings settings = new RunSettings(
                7,
                2,
                4,
                3,
                new RunSettings.Sampling(0.7, 0.9, 128, 0),
                new RunSettings.Judging(0.7, 256, null, RunSettings.JudgeRole.SELF, null, null, null),
                TrainingSettings.defaults(),
                RunSettings.Advance.AUTO,
                true,
                16,
                64,
                null,
                new RunSettings.Evaluation(true, 128),
                TrainerSettings.defaults());
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode stored = (ObjectNode) json.readTree(settingsJson.write(settings));
        ObjectNode evaluation = (ObjectNode) stored.get("evaluation");
        evaluation.remove("judgeGenerationId");
        evaluation.remove("judgeMaxTokens");
        evaluation.remove("judgeTemplate");

        RunSettings read = settingsJson.read(new Run("old", RunMethod.SR, 1L, json.writeValueAsString(stored)));

        assertThat(read.evaluates()).isTrue();
        assertThat(read.evaluatesPairwise()).isFalse();
        assertThat(read.evaluation().judgeMaxTokens()).isEqualTo(RunSettings.Evaluation.DEFAULT_JUDGE_MAX_TOKENS);
        assertThat(read).isEqualTo(settings);
    }
}
