package org.tsr.judge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.tsr.edge.ServiceSecurity;

/** LLM-as-a-Judge: claims JUDGE work units and scores responses with a model generation as the judge. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ServiceSecurity.class)
public class JudgeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(JudgeServiceApplication.class, args);
    }
}
