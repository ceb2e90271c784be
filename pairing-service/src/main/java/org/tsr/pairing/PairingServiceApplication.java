package org.tsr.pairing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.tsr.edge.ServiceSecurity;

/** Builds SR and TSR preference pairs from judged responses: claims PAIR work units. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ServiceSecurity.class)
public class PairingServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PairingServiceApplication.class, args);
    }
}
