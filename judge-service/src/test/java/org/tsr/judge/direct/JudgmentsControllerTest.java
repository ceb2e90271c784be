package org.tsr.judge.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "tsr.judge.worker-threads=0")
class JudgmentsControllerTest {

    @Value("${local.server.port}")
    int port;

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Autowired
    ModelGenerationRepository generations;

    final JsonMapper json = JsonMapper.builder().build();
    ModelGeneration judge;

    @BeforeEach
    void tinyJudge() {
        judge = TinyModelFixture.register(generations);
    }

    HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/judgments"))
                                .header("Authorization", "Bearer " + serviceToken)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void judgesEachItemWithTheRequestedSamples() throws Exception {
        HttpResponse<String> response = post("""
                {"judgeGenerationId": %d, "items": [{"prompt": "sort: cba", "response": "abc"}],
                 "samples": 2, "maxTokens": 16, "template": "Rate {prompt} => {response}. Score: "}
                """.formatted(judge.getId()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = json.readTree(response.body()).get("results").get(0);
        assertThat(result.get("judgments")).hasSize(2);
        int valid = result.get("validJudgments").asInt();
        assertThat(result.get("meanScore").isNull()).isEqualTo(valid == 0);
    }

    @Test
    void templateWithoutTheResponsePlaceholderIsABadRequest() throws Exception {
        HttpResponse<String> response = post("""
                {"judgeGenerationId": %d, "items": [{"prompt": "p", "response": "r"}], "template": "Rate {prompt}"}
                """.formatted(judge.getId()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("detail").asString()).contains("{response}");
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("template");
    }

    @Test
    void missingItemsNameTheField() throws Exception {
        HttpResponse<String> response = post("{\"judgeGenerationId\": %d, \"items\": []}".formatted(judge.getId()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("items");
    }
}
