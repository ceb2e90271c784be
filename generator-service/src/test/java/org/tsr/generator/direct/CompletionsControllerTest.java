package org.tsr.generator.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tsr.generator.worker-threads=0",
            // the remote-backend test calls this service as an inference server
            "tsr.inference.remote.allowed-hosts=localhost",
            "tsr.inference.remote.api-key=${tsr.service-auth.token}"
        })
class CompletionsControllerTest {

    @Value("${local.server.port}")
    int port;

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Autowired
    ModelGenerationRepository generations;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    ModelGeneration m0;

    @BeforeEach
    void tinyModel() {
        m0 = TinyModelFixture.register(generations);
    }

    HttpResponse<String> post(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/completions"))
                        .header("Authorization", "Bearer " + serviceToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String greedyRequest(long generationId) {
        return """
                {"generationId": %d, "prompts": ["sort: dcba", "count a: banana"], "chat": false,
                 "sampling": {"n": 1, "temperature": 0, "maxTokens": 10}}
                """.formatted(generationId);
    }

    @Test
    void answersEachPromptWithItsSamples() throws Exception {
        HttpResponse<String> response = post("""
                {"generationId": %d, "prompts": ["sort: dcba"], "sampling": {"n": 3, "maxTokens": 5, "seed": 3}}
                """.formatted(m0.getId()));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = json.readTree(response.body()).get("results");
        assertThat(results).hasSize(1);
        assertThat(results.get(0).get("samples")).hasSize(3);
        assertThat(results.get(0).get("samples").get(0).get("finishReason").asString())
                .isIn("stop", "length");
    }

    @Test
    void remoteBackendAgainstThisServiceGivesWhatTheEngineGives() throws Exception {
        ModelGeneration remote = generations.save(ModelGeneration.imported(
                "tiny-m0-served",
                GenerationKind.SFT,
                "http://localhost:" + port + "/v1#generation-" + m0.getId(),
                CheckpointFormat.REMOTE_OPENAI));

        HttpResponse<String> embedded = post(greedyRequest(m0.getId()));
        HttpResponse<String> served = post(greedyRequest(remote.getId()));

        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(json.readTree(served.body()).get("results"))
                .isEqualTo(json.readTree(embedded.body()).get("results"));
    }

    @Test
    void aCallerWithoutTheServiceCredentialIsRefusedButProbesStayOpen() throws Exception {
        HttpRequest.Builder direct = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(greedyRequest(m0.getId())));
        HttpResponse<String> none = http.send(direct.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = http.send(
                direct.header("Authorization", "Bearer an-api-key-of-the-gateway")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> openAi = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/models"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json.readTree(none.body()).get("detail").asString()).contains("Authorization: Bearer");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(openAi.statusCode()).isEqualTo(401);
        for (String probe : new String[] {"/actuator/health/readiness", "/actuator/prometheus"}) {
            HttpResponse<String> open = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + probe))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(open.statusCode()).as(probe).isEqualTo(200);
        }
    }

    @Test
    void unknownFieldsNulNullElementsAndWrongTypesAreRefusedNamingTheField() throws Exception {
        long id = m0.getId();
        HttpResponse<String> misspelt = post(
                "{\"generationId\": " + id + ", \"prompts\": [\"x\"], \"sampling\": {\"n\": 1, \"maxTokenz\": 5}}");
        HttpResponse<String> nul = post("{\"generationId\": " + id + ", \"prompts\": [\"ok\", \"a\\u0000b\"]}");
        HttpResponse<String> nullElement = post("{\"generationId\": " + id + ", \"prompts\": [null]}");
        HttpResponse<String> wrongType =
                post("{\"generationId\": " + id + ", \"prompts\": [\"x\"], \"sampling\": {\"temperature\": \"hot\"}}");

        assertThat(List.of(misspelt, nul, nullElement, wrongType))
                .allSatisfy(response ->
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(400));
        assertThat(json.readTree(misspelt.body()).get("detail").asString())
                .isEqualTo("sampling.maxTokenz: unknown field");
        assertThat(json.readTree(nul.body()).get("field").asString()).isEqualTo("prompts[1]");
        assertThat(json.readTree(nullElement.body()).get("field").asString()).isEqualTo("prompts[0]");
        assertThat(json.readTree(wrongType.body()).get("field").asString()).isEqualTo("sampling.temperature");
    }

    @Test
    void moreNewTokensThanTheModelsContextIsRefused() throws Exception {
        HttpResponse<String> response = post(
                "{\"generationId\": " + m0.getId() + ", \"prompts\": [\"x\"], \"sampling\": {\"maxTokens\": 5000}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("sampling.maxTokens");
        assertThat(json.readTree(response.body()).get("detail").asString()).contains("at most the model's context");
    }

    @Test
    void samplesBelowOneAreAProblemNamingTheField() throws Exception {
        HttpResponse<String> response = post("""
                {"generationId": %d, "prompts": ["x"], "sampling": {"n": 0}}
                """.formatted(m0.getId()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("field").asString()).isEqualTo("sampling.n");
        assertThat(problem.get("detail").asString()).isEqualTo("n must be 1 to 256, got 0");
    }

    @Test
    void unknownGenerationIsNotFound() throws Exception {
        HttpResponse<String> response = post(greedyRequest(99_999_999));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).get("detail").asString())
                .isEqualTo("model generation 99999999 does not exist");
    }

    @Test
    void emptyPromptListIsRejected() throws Exception {
        HttpResponse<String> response = post("{\"generationId\": %d, \"prompts\": []}".formatted(m0.getId()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("prompts");
    }
}
