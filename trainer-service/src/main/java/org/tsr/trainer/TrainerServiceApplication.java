package org.tsr.trainer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.tsr.edge.ServiceSecurity;

/** Trains the next model generation with SFT or DPO: claims TRAIN work units and registers the result in the lineage. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ServiceSecurity.class)
public class TrainerServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(TrainerServiceApplication.class, args);
    }
}
