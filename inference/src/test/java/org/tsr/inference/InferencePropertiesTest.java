package org.tsr.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class InferencePropertiesTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(InferenceProperties.class)
    static class Properties {}

    @Test
    void theDefaultsStart() {
        runner.run(context -> assertThat(
                        context.getBean(InferenceProperties.class).remote().maxRetries())
                .isEqualTo(4));
    }

    @Test
    void badValuesFailAtStartupNamingEachProperty() {
        runner.withPropertyValues(
                        "tsr.inference.intra-op-threads=-1",
                        "tsr.inference.remote.request-timeout=0s",
                        "tsr.inference.remote.allowed-hosts=vllm,http://vllm:8000/v1")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("object 'tsr.inference' on field 'intraOpThreads'")
                        .hasMessageContaining("object 'tsr.inference' on field 'remote.requestTimeout'")
                        .hasMessageContaining("object 'tsr.inference' on field 'remote.allowedHosts[1]'")
                        .hasMessageContaining("not a URL"));
    }
}
