package org.tsr.generator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Samples responses from model generations: claims GENERATE work units and serves OpenAI-compatible completions. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GeneratorServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(GeneratorServiceApplication.class, args);
    }
}
