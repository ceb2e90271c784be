package org.tsr.generator.work;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class GeneratorPropertiesTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(GeneratorProperties.class)
    static class Properties {}

    @Test
    void theDefaultsStart() {
        runner.run(
                context -> assertThat(context.getBean(GeneratorProperties.class).workerThreads())
                        .isEqualTo(1));
    }

    @Test
    void badValuesFailAtStartupNamingEachProperty() {
        runner.withPropertyValues(
                        "tsr.generator.worker-threads=-1",
                        "tsr.generator.idle-poll=0s",
                        "tsr.generator.batch-prompts=0",
                        "tsr.generator.stream-threads=0",
                        "tsr.generator.stream-timeout=0s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("object 'tsr.generator' on field 'workerThreads'")
                        .hasMessageContaining("object 'tsr.generator' on field 'idlePoll'")
                        .hasMessageContaining("object 'tsr.generator' on field 'batchPrompts'")
                        .hasMessageContaining("object 'tsr.generator' on field 'streamThreads'")
                        .hasMessageContaining("object 'tsr.generator' on field 'streamTimeout'"));
    }
}
