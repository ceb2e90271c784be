package org.tsr.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds {@code store-defaults.properties} as the last place Spring looks for a setting, before any configuration class
 * is read, so every application that uses the store gets its defaults (schema validated against the migrations,
 * health probes, Prometheus metrics tagged with the application) and can still override each of them.
 */
class StoreDefaults implements EnvironmentPostProcessor {

    static final String RESOURCE = "org/tsr/store/store-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            environment
                    .getPropertySources()
                    .addLast(new ResourcePropertySource("storeDefaults", new ClassPathResource(RESOURCE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
