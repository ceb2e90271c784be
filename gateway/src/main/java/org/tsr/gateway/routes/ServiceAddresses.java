package org.tsr.gateway.routes;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Where the stage services listen ({@code tsr.services.*}); a service left unset gets no route. */
@Validated
@ConfigurationProperties("tsr.services")
record ServiceAddresses(URI generator, URI judge, URI pairing, URI trainer) {

    ServiceAddresses {
        requireHttpUrl(generator, "tsr.services.generator");
        requireHttpUrl(judge, "tsr.services.judge");
        requireHttpUrl(pairing, "tsr.services.pairing");
        requireHttpUrl(trainer, "tsr.services.trainer");
    }

    private static void requireHttpUrl(URI address, String property) {
        if (address == null) {
            return;
        }
        String scheme = address.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || address.getHost() == null) {
            throw new IllegalArgumentException(
                    property + " must be an http or https URL with a host, got '" + address + "'");
        }
    }
}
