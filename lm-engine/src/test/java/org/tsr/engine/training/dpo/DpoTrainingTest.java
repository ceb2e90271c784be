package org.tsr.engine.training.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.training.LearningRateSchedule;
import org.tsr.engine.training.StepMetrics;
import org.tsr.engine.training.Trainer;
import org.tsr.engine.training.TrainingFixtures;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.TrainingResult;

class DpoTrainingTest {

    @TempDir
    Path dir;

    @Test
    void dpoRaisesTheChosenOverRejectedMarginOnFixedPairs() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir.resolve("m0")))) {
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
            double before = meanMargin(model, pairs);
            TrainingOptions options = TrainingOptions.builder()
                    .learningRate(1e-3, 1e-4)
                    .schedule(LearningRateSchedule.Kind.COSINE, 1)
                    .batches(3, 4, 1)
                    .build();
            List<StepMetrics> steps = new ArrayList<>();

            TrainingResult result = new Trainer<>(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), options)
                    .train(pairs, steps::add, null);

            double after = meanMargin(model, pairs);
            System.out.printf(
                    "DPO on the tiny model: margin before %.4f, after %.4f nats over %d steps%n",
                    before, after, result.steps());
            assertThat(before).isEqualTo(0.0);
            assertThat(after).isGreaterThan(1.0);
            assertThat(result.steps()).isEqualTo(6);
            assertThat(result.nonFiniteSteps()).isZero();
            StepMetrics first = steps.get(0);
            StepMetrics last = steps.get(steps.size() - 1);
            // on the first step the policy is the reference: no reward yet, loss ln 2
            assertThat(first.rewardsMargins()).isEqualTo(0.0, within(1e-5));
            assertThat(first.loss()).isEqualTo(Math.log(2), within(1e-5));
            assertThat(last.rewardsMargins()).isGreaterThan(0.05);
            assertThat(last.rewardsAccuracies()).isEqualTo(1.0);
            assertThat(last.loss()).isLessThan(first.loss());
            assertThat(last.asMap())
                    .containsKeys(
                            "loss",
                            "rewards/chosen",
                            "rewards/rejected",
                            "rewards/margins",
                            "rewards/accuracies",
                            "logps/chosen",
                            "logps/rejected",
                            "grad_norm",
                            "learning_rate",
                            "tokens_per_second");
        }
    }

    /** Mean of (policy chosen - policy rejected) - (reference chosen - reference rejected) in nats. */
    private static double meanMargin(LanguageModel policy, List<PreferenceExample> withReference) {
        List<PreferenceExample> now = ReferenceLogProbs.compute(policy, withReference, 8);
        double sum = 0;
        for (int i = 0; i < now.size(); i++) {
            PreferenceExample reference = withReference.get(i);
            PreferenceExample current = now.get(i);
            sum += (current.referenceChosenLogp() - current.referenceRejectedLogp())
                    - (reference.referenceChosenLogp() - reference.referenceRejectedLogp());
        }
        return sum / now.size();
    }
}
