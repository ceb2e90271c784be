package org.tsr.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class TrainerPropertiesTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TrainerProperties.class)
    static class Properties {}

    @Test
    void theDefaultsStart() {
        runner.run(
                context -> assertThat(context.getBean(TrainerProperties.class).checkpointDir())
                        .isEqualTo(Path.of("checkpoints")));
    }

    @Test
    void badValuesFailAtStartupNamingEachProperty() {
        runner.withPropertyValues(
                        "tsr.trainer.idle-poll=0s",
                        "tsr.trainer.device= ",
                        "tsr.trainer.progress-every=-1s",
                        "tsr.trainer.reference-batch-pairs=0",
                        "tsr.trainer.gpus-per-node=17")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("object 'tsr.trainer' on field 'idlePoll'")
                        .hasMessageContaining("object 'tsr.trainer' on field 'device'")
                        .hasMessageContaining("object 'tsr.trainer' on field 'progressEvery'")
                        .hasMessageContaining("object 'tsr.trainer' on field 'referenceBatchPairs'")
                        .hasMessageContaining("object 'tsr.trainer' on field 'gpusPerNode'"));
    }
}
