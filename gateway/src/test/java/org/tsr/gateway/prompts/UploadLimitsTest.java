package org.tsr.gateway.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class UploadLimitsTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(UploadLimits.class)
    static class Properties {}

    @Test
    void theDefaultsStart() {
        runner.run(context ->
                assertThat(context.getBean(UploadLimits.class).maxSize()).isEqualTo(DataSize.ofMegabytes(64)));
    }

    @Test
    void aZeroSizeFailsAtStartupNamingTheProperty() {
        runner.withPropertyValues("tsr.uploads.max-size=0B")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("tsr.uploads.max-size must be positive, got 0B"));
    }

    @Test
    void badCountsFailAtStartupNamingEachProperty() {
        runner.withPropertyValues("tsr.uploads.max-lines=0", "tsr.uploads.max-field-chars=-1")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("object 'tsr.uploads' on field 'maxLines'")
                        .hasMessageContaining("object 'tsr.uploads' on field 'maxFieldChars'"));
    }
}
