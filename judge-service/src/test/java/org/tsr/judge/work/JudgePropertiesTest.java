package org.tsr.judge.work;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class JudgePropertiesTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(JudgeProperties.class)
    static class Properties {}

    @Test
    void theDefaultsStart() {
        runner.run(context -> assertThat(context.getBean(JudgeProperties.class).workerThreads())
                .isEqualTo(1));
    }

    @Test
    void badValuesFailAtStartupNamingEachProperty() {
        runner.withPropertyValues(
                        "tsr.judge.worker-threads=-1", "tsr.judge.idle-poll=0s", "tsr.judge.batch-responses=0")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("object 'tsr.judge' on field 'workerThreads'")
                        .hasMessageContaining("object 'tsr.judge' on field 'idlePoll'")
                        .hasMessageContaining("object 'tsr.judge' on field 'batchResponses'"));
    }
}
