package org.tsr.judge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** LLM-as-a-Judge: claims JUDGE work units and scores responses with a model generation as the judge. */
@SpringBootApplication
public class JudgeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(JudgeServiceApplication.class, args);
    }
}
