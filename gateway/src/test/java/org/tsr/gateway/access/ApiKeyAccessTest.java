package org.tsr.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    /** Every spelling of a protected path: refused as malformed (400) or asked for a key (401), never served. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/runs",
                "/api;x/v1/runs",
                "/api/v1;x/runs",
                "/api/v1/runs;jsessionid=1",
                "/%61pi/v1/runs",
                "/api/v1/%72uns",
                "/api%2Fv1/runs",
                "/api/v1/runs%2F",
                "//api/v1/runs",
                "/api//v1/runs",
                "/api/v1/./runs",
                "/api/v1/x/../runs",
                "/api/v1/%2e/runs",
                "/api/v1/x/%2e%2e/runs",
                "/api/v1/runs/",
                "/API/v1/runs",
                "/Api/V1/Runs",
                "/api/v1/runs?x=1",
                "/api/v1/runs%00",
                "/api/v1/runs%25",
                "/actuator/health/../../api/v1/runs",
                "/actuator/health/%2e%2e/%2e%2e/api/v1/runs",
                "/actuator/health;/../../api/v1/runs",
                "/v3/api-docs/..;/../api/v1/runs",
                "/swagger-ui/../api/v1/runs",
                "/actuator/prometheus/../../api/v1/api-keys",
                "/api/v1/api-keys",
                "/api/v1/generator/v1/models",
                "/api/v1/trainer/trainings/1",
                "/actuator/env",
                "/actuator/metrics"
            })
    void noSpellingOfAProtectedPathIsServedWithoutAKey(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null, null);

        assertThat(response.statusCode()).as(path + " -> " + response.body()).isIn(400, 401);
        if (response.statusCode() == 401) {
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
        }
    }

    @Test
    void aReadOnlyKeyMayNotGenerateJudgeOrTrainThroughTheRoutes() throws Exception {
        String readOnly = issue("watcher", "READ_ONLY");

        for (String path :
                new String[] {"/api/v1/generator/completions", "/api/v1/judge/judgments", "/api/v1/trainer/trainings"
                }) {
            HttpResponse<String> response = send("POST", path, readOnly, "{}");
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(json.readTree(response.body()).get("detail").asString())
                    .isEqualTo("API key 'watcher' is read-only");
        }
    }

    @Test
    void aReadWriteKeyMayWriteButNotManageKeys() throws Exception {
        String writer = issue("pipeline", "READ_WRITE");

        HttpResponse<String> run = send("POST", "/api/v1/runs", writer, "{}");
        assertThat(run.statusCode())
                .as("past authentication, refused by validation")
                .isEqualTo(400);
        HttpResponse<String> keys = send("POST", "/api/v1/api-keys", writer, "{\"name\": \"x\", \"role\": \"ADMIN\"}");
        assertThat(keys.statusCode()).isEqualTo(403);
        assertThat(json.readTree(keys.body()).get("detail").asString())
                .startsWith("managing API keys needs an ADMIN key");
        assertThat(send("GET", "/api/v1/api-keys", writer, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aKeyIsCheckedWhateverTheSchemeCaseAndAnotherSchemeIsNoKey() throws Exception {
        HttpRequest.Builder basic = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/runs"))
                .header("Authorization", "Basic " + ADMIN);
        HttpRequest.Builder lowerCase = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/runs"))
                .header("Authorization", "bearer " + ADMIN);

        assertThat(http.send(basic.build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
        assertThat(http.send(lowerCase.build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    String issue(String name, String role) throws Exception {
        HttpResponse<String> issued =
                send("POST", "/api/v1/api-keys", ADMIN, "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return json.readTree(issued.body()).get("key").asString();
    }
}
