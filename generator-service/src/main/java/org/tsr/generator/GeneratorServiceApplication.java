package org.tsr.generator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.tsr.edge.ServiceSecurity;

/** Samples responses from model generations: claims GENERATE work units and serves OpenAI-compatible completions. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ServiceSecurity.class)
public class GeneratorServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(GeneratorServiceApplication.class, args);
    }
}
