package org.tsr.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.tsr.contract.training.TrainingKind;
import org.tsr.engine.training.StepMetrics;

class TrainMetersTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TrainMeters meters = new TrainMeters(registry);

    @Test
    void aRolledBackStepCountsAsNonFiniteAndLeavesTheLossGaugeAtTheLastFiniteLoss() {
        meters.step(TrainingKind.DPO, "policy", step(1, 0.69, false, 0));
        meters.step(TrainingKind.DPO, "policy", step(2, Double.NaN, true, 1));
        meters.step(TrainingKind.DPO, "policy", step(3, 0.5, false, 1));
        meters.step(TrainingKind.DPO, "policy", step(4, Double.NaN, true, 2));

        assertThat(registry.get("tsr.train.nonfinite.steps")
                        .tags("kind", "dpo", "model_role", "policy")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(registry.get("tsr.train.loss").tags("kind", "dpo").gauge().value())
                .isEqualTo(0.5);
    }

    private static StepMetrics step(int step, double loss, boolean skipped, int nonFiniteSteps) {
        return new StepMetrics(
                step,
                4,
                step / 4.0,
                loss,
                skipped ? Double.NaN : 1.0,
                1e-6,
                100,
                1000,
                skipped,
                nonFiniteSteps,
                skipped ? "loss" : null,
                skipped ? step - 1 : null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
