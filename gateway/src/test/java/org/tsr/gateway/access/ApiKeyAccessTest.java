package org.tsr.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tsr.orchestration.conduct=false", "tsr.access.bootstrap-admin-key=" + ApiKeyAccessTest.ADMIN})
class ApiKeyAccessTest {

    static final String ADMIN = "tsr_bootstrap-admin-key-for-tests";

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsWithoutAValidKeyAreRefused() throws Exception {
        HttpResponse<String> none = send("GET", "/api/v1/runs", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(json.readTree(none.body()).get("detail").asString()).contains("Authorization: Bearer");

        assertThat(send("GET", "/api/v1/runs", "tsr_made-up", null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void healthAndTheApiDescriptionStayOpen() throws Exception {
        assertThat(send("GET", "/actuator/health/readiness", null, null).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void adminIssuesAReadOnlyKeyThatCanReadButNotWriteUntilRevoked() throws Exception {
        HttpResponse<String> issued =
                send("POST", "/api/v1/api-keys", ADMIN, "{\"name\": \"dashboard\", \"role\": \"READ_ONLY\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode key = json.readTree(issued.body());
        String secret = key.get("key").asString();

        assertThat(send("GET", "/api/v1/runs", secret, null).statusCode()).isEqualTo(200);
        HttpResponse<String> write = send("POST", "/api/v1/runs", secret, "{}");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(json.readTree(write.body()).get("detail").asString()).isEqualTo("API key 'dashboard' is read-only");
        assertThat(send("GET", "/api/v1/api-keys", secret, null).statusCode())
                .as("only admins see keys")
                .isEqualTo(403);

        HttpResponse<String> listed = send("GET", "/api/v1/api-keys", ADMIN, null);
        assertThat(listed.body()).contains("dashboard").doesNotContain(secret);

        assertThat(send("DELETE", "/api/v1/api-keys/" + key.get("id").asLong(), ADMIN, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(send("GET", "/api/v1/runs", secret, null).statusCode()).isEqualTo(401);
    }
}
