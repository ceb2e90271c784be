package org.tsr.pairing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Builds SR and TSR preference pairs from judged responses: claims PAIR work units. */
@SpringBootApplication
public class PairingServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PairingServiceApplication.class, args);
    }
}
