package org.tsr.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tsr.engine.training.StepMetrics;

class ProgressLinesTest {

    @Test
    void eachEventReadsBackAsWritten() {
        assertThat(ProgressLines.parse(ProgressLines.started(12, 48, "DPO on 48 examples")))
                .isEqualTo(new ProgressEvent.Started(12, 48, "DPO on 48 examples"));
        assertThat(ProgressLines.parse(ProgressLines.checkpointed(5))).isEqualTo(new ProgressEvent.Checkpointed(5));
        assertThat(ProgressLines.parse(ProgressLines.failed("no config.json", "baseGenerationId")))
                .isEqualTo(new ProgressEvent.Failed("no config.json", "baseGenerationId"));
        assertThat(ProgressLines.parse(ProgressLines.failed("out of memory", null)))
                .isEqualTo(new ProgressEvent.Failed("out of memory", null));
        ProgressEvent.Finished finished =
                (ProgressEvent.Finished) ProgressLines.parse(ProgressLines.finished(12, Map.of("loss", 0.5)));
        assertThat(finished.steps()).isEqualTo(12);
        assertThat(finished.summary()).containsEntry("loss", 0.5);
    }

    @Test
    void aStepCarriesTheEmbeddedTrainersMetricNamesWhichAreTrls() {
        Map<String, Object> trl = new LinkedHashMap<>();
        trl.put("step", 3);
        trl.put("total_steps", 10);
        trl.put("loss", 0.6931);
        trl.put("grad_norm", 1.5);
        trl.put("learning_rate", 1e-6);
        trl.put("rewards/chosen", 0.02);
        trl.put("rewards/rejected", -0.01);
        trl.put("rewards/margins", 0.03);
        trl.put("rewards/accuracies", 0.75);
        trl.put("logps/chosen", -40.0);
        trl.put("logps/rejected", -45.0);

        ProgressEvent.Step step = (ProgressEvent.Step) ProgressLines.parse(ProgressLines.step(trl));
        StepMetrics metrics = StepMetrics.fromMap(step.metrics());

        assertThat(metrics.step()).isEqualTo(3);
        assertThat(metrics.totalSteps()).isEqualTo(10);
        assertThat(metrics.loss()).isEqualTo(0.6931);
        assertThat(metrics.rewardsMargins()).isEqualTo(0.03);
        assertThat(metrics.rewardsAccuracies()).isEqualTo(0.75);
        assertThat(metrics.skipped()).isFalse();
        assertThat(metrics.tokens()).isZero();
        assertThat(metrics.asMap()).containsEntry("rewards/margins", 0.03).containsEntry("logps/chosen", -40.0);
    }

    @Test
    void anythingElseIsALogLine() {
        assertThat(ProgressLines.parse("Loading checkpoint shards: 100%"))
                .isEqualTo(new ProgressEvent.Log("Loading checkpoint shards: 100%"));
        assertThat(ProgressLines.parse("{\"tsr_event\": \"step\", \"loss\": 0."))
                .isInstanceOf(ProgressEvent.Log.class);
        assertThat(ProgressLines.parse("{\"tsr_event\": \"teleport\"}")).isInstanceOf(ProgressEvent.Log.class);
        assertThat(ProgressLines.parse("{\"level\": \"info\"}")).isInstanceOf(ProgressEvent.Log.class);
    }
}
