package org.tsr.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * What every service must do once started against the test database: report itself live and ready (the readiness
 * group includes the database) and serve Prometheus metrics tagged with its application name. A service's smoke test
 * extends this with {@code @SpringBootTest(webEnvironment = RANDOM_PORT)}.
 */
public abstract class ServiceSmokeTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Value("${spring.application.name}")
    String applicationName;

    @Test
    void startsLiveAndReadyWithTheDatabase() throws Exception {
        assertUp(get("/actuator/health/liveness"));
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertUp(readiness);
        HttpResponse<String> health = get("/actuator/health");
        assertUp(health);
        assertTrue(health.body().contains("\"db\""), "health shows the database: " + health.body());
    }

    @Test
    void servesPrometheusMetricsTaggedWithTheApplication() throws Exception {
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(
                metrics.body().contains("application=\"" + applicationName + "\""),
                "metrics carry the application tag");
        assertTrue(metrics.body().contains("hikaricp_connections"), "the store's connection pool is measured");
    }

    private static void assertUp(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"status\":\"UP\""), response.body());
    }

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
