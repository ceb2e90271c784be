package org.tsr.inference;

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

    @Bean
    @ConditionalOnWebApplication
    InferenceProblemDetailsAdvice inferenceProblemDetailsAdvice() {
        return new InferenceProblemDetailsAdvice();
    }
}
