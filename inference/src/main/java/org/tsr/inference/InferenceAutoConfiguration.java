package org.tsr.inference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.tsr.inference.web.InferenceProblemDetailsAdvice;
import org.tsr.store.StoreAutoConfiguration;
import org.tsr.store.lineage.ModelGenerationRepository;

/** Gives an application that has this module the {@link ModelBackends} of the store's generations. */
@AutoConfiguration(after = StoreAutoConfiguration.class)
@EnableConfigurationProperties(InferenceProperties.class)
public class InferenceAutoConfiguration {

    @Bean(destroyMethod = "close")
    ModelBackends modelBackends(ModelGenerationRepository generations, InferenceProperties properties) {
        return new ModelBackends(generations, properties);
    }

    /** The weight memory of the embedded models this process has loaded. */
    @Bean
    MeterBinder loadedWeightBytes(ModelBackends backends) {
        return registry -> Gauge.builder(
                        "tsr.inference.loaded.weight.bytes", backends, ModelBackends::loadedWeightBytes)
                .description("Bytes of weights the embedded models loaded in this process hold")
                .baseUnit("bytes")
                .register(registry);
    }

    @Bean
    @ConditionalOnWebApplication
    InferenceProblemDetailsAdvice inferenceProblemDetailsAdvice() {
        return new InferenceProblemDetailsAdvice();
    }
}
