package org.tsr.gateway.routes;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Where the stage services listen ({@code tsr.services.*}); a service left unset gets no route. */
@ConfigurationProperties("tsr.services")
record ServiceAddresses(URI generator, URI judge, URI pairing, URI trainer) {}
