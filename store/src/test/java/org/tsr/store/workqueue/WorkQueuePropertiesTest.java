package org.tsr.store.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class WorkQueuePropertiesTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WorkQueueProperties.class)
    static class Properties {}

    @Test
    void theDefaultsStart() {
        runner.run(context ->
                assertThat(context.getBean(WorkQueueProperties.class).lease()).isEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void aZeroLeaseFailsAtStartupNamingTheProperty() {
        runner.withPropertyValues("tsr.work-queue.lease=0s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("tsr.work-queue.lease must be positive, got PT0S"));
    }

    @Test
    void aNegativeBackoffFailsAtStartupNamingTheProperty() {
        runner.withPropertyValues("tsr.work-queue.max-retry-backoff=-1s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("tsr.work-queue.max-retry-backoff must not be negative, got PT-1S"));
    }
}
