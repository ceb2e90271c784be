package org.tsr.judge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** LLM-as-a-Judge: claims JUDGE work units and scores responses with a model generation as the judge. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class JudgeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(JudgeServiceApplication.class, args);
    }
}
