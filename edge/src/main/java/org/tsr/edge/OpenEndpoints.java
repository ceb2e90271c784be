package org.tsr.edge;

/** The paths every service answers without a credential: probes and scraping need them. */
public final class OpenEndpoints {

    private OpenEndpoints() {}

    /** Health (liveness and readiness under it) and the Prometheus scrape. */
    public static final String[] PROBES = {"/actuator/health", "/actuator/health/**", "/actuator/prometheus"};

    /** The API description and its viewer; only the gateway serves them. */
    public static final String[] API_DESCRIPTION = {
        "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**"
    };
}
