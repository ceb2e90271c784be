package org.tsr.judge.pairwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
class PairwiseControllerTest {

    @Value("${local.server.port}")
    int port;

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Autowired
    ModelGenerationRepository generations;

    @Test
    void asksBothOrdersAndReportsAVerdict() throws Exception {
        ModelGeneration judge = TinyModelFixture.register(generations);
        String body = """
                {"judgeGenerationId": %d, "maxTokens": 12, "template": "{prompt} 1={first} 2={second} Better: ",
                 "pairs": [{"prompt": "sort: cba", "first": "abc", "second": "cab"}]}
                """.formatted(judge.getId());

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/judgments/pairwise"))
                                .header("Authorization", "Bearer " + serviceToken)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = JsonMapper.builder()
                .build()
                .readTree(response.body())
                .get("results")
                .get(0);
        assertThat(result.get("verdict").asString()).isIn("first", "second", "tie");
        int forward = PairwiseTemplate.preferred(result.get("forwardText").asString());
        int reversed = PairwiseTemplate.preferred(result.get("reversedText").asString());
        assertThat(result.get("verdict").asString())
                .isEqualTo(Verdict.combine(forward, reversed).name().toLowerCase(java.util.Locale.ROOT));
    }
}
