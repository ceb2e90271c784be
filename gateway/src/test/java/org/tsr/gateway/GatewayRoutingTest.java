package org.tsr.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tsr.orchestration.conduct=false", "tsr.access.bootstrap-admin-key=" + GatewayRoutingTest.ADMIN})
class GatewayRoutingTest {

    static final String ADMIN = "tsr_routing-test-admin-key";

    static final HttpServer judge = startJudgeStandIn();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void routeJudgeToStandIn(DynamicPropertyRegistry registry) {
        registry.add(
                "tsr.services.judge",
                () -> "http://localhost:" + judge.getAddress().getPort());
    }

    @AfterAll
    static void stopJudge() {
        judge.stop(0);
    }

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Test
    void forwardsServicePathsWithoutTheirPrefixAndWithTheServiceCredentialInPlaceOfTheKey() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/judge/judgments/7"))
                                .header("Authorization", "Bearer " + ADMIN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("judge saw /judgments/7 with Bearer " + serviceToken);
    }

    @Test
    void aCallerWithoutAKeyNeverReachesTheService() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/judge/judgments/7"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("judge saw");
    }

    private static HttpServer startJudgeStandIn() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = ("judge saw " + exchange.getRequestURI().getPath() + " with "
                                + exchange.getRequestHeaders().getFirst("Authorization"))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
