package org.tsr.gateway.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ServiceAddressesTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ServiceAddresses.class)
    static class Properties {}

    @Test
    void anUnsetServiceHasNoAddress() {
        runner.withPropertyValues("tsr.services.judge=http://judge-service:8082")
                .run(context -> {
                    ServiceAddresses addresses = context.getBean(ServiceAddresses.class);
                    assertThat(addresses.judge()).isEqualTo(URI.create("http://judge-service:8082"));
                    assertThat(addresses.generator()).isNull();
                });
    }

    @Test
    void anAddressThatIsNotAnHttpUrlFailsAtStartupNamingTheProperty() {
        runner.withPropertyValues("tsr.services.trainer=trainer-service:8084")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("tsr.services.trainer must be an http or https URL with a host,"
                                + " got 'trainer-service:8084'"));
    }
}
