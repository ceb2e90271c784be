package org.tsr.gateway.generations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class RemoteInferenceHostsTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RemoteInferenceHosts.class)
    static class Properties {}

    @Test
    void hostNamesAndDomainsStart() {
        runner.withPropertyValues("tsr.inference.remote.allowed-hosts=vllm,*.inference.internal")
                .run(context -> assertThat(
                                context.getBean(RemoteInferenceHosts.class).allowedHosts())
                        .containsExactly("vllm", "*.inference.internal"));
    }

    @Test
    void aUrlInPlaceOfAHostFailsAtStartupNamingTheProperty() {
        runner.withPropertyValues("tsr.inference.remote.allowed-hosts=http://vllm:8000/v1")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("object 'tsr.inference.remote' on field 'allowedHosts[0]'")
                        .hasMessageContaining("must be a host name or *.domain, not a URL"));
    }
}
