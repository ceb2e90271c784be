package org.tsr.pairing.work;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.tsr.pairing.curation.TieBreak;

class PairingPropertiesTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PairingProperties.class)
    static class Properties {}

    @Test
    void theDefaultsStart() {
        runner.run(
                context -> assertThat(context.getBean(PairingProperties.class).tieBreaks())
                        .containsExactly(TieBreak.LOWER_VARIANCE, TieBreak.SHORTER, TieBreak.LOWER_SAMPLE_INDEX));
    }

    @Test
    void badValuesFailAtStartupNamingEachProperty() {
        runner.withPropertyValues("tsr.pairing.worker-threads=-1", "tsr.pairing.idle-poll=-5ms")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("object 'tsr.pairing' on field 'workerThreads'")
                        .hasMessageContaining("object 'tsr.pairing' on field 'idlePoll'"));
    }
}
