package org.tsr.trainer.web;

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
import org.tsr.store.workqueue.StageCounts;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.trainer.TrainingScenario;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "tsr.trainer.worker-threads=0")
class TrainingsControllerTest {

    @Value("${local.server.port}")
    int port;

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Autowired
    TrainingScenario scenario;

    @Autowired
    WorkQueue queue;

    @Autowired
    org.tsr.store.training.TrainingJobRepository jobs;

    final JsonMapper json = JsonMapper.builder().build();
    TrainingScenario.SrIteration sr;

    @BeforeEach
    void pairs() {
        sr = scenario.srIteration();
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/trainings"))
                .header("Authorization", "Bearer " + serviceToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    String dpo(long baseGenerationId, String dataset, String hyperparameters) {
        return """
                {"kind": "DPO", "baseGenerationId": %d, "dataset": {"iterationId": %d, "dataset": "%s"},
                 "hyperparameters": %s}
                """.formatted(baseGenerationId, sr.iteration().getId(), dataset, hyperparameters);
    }

    @Test
    void queuesAJobAndReportsItsProgress() throws Exception {
        long before = queue.counts(WorkStage.TRAIN).pending();

        HttpResponse<String> created = post(dpo(sr.m0().getId(), "SR", "{\"beta\": 0.2, \"epochs\": 2}"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode job = json.readTree(created.body());
        assertThat(job.get("status").asString()).isEqualTo("PENDING");
        assertThat(job.get("referenceGenerationId").asLong()).isEqualTo(sr.m0().getId());
        assertThat(created.headers().firstValue("Location"))
                .hasValue("/trainings/" + job.get("id").asLong());
        StageCounts counts = queue.counts(WorkStage.TRAIN);
        assertThat(counts.pending()).isEqualTo(before + 1);

        HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/trainings/"
                        + job.get("id").asLong()))
                .header("Authorization", "Bearer " + serviceToken));
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode shown = json.readTree(read.body());
        assertThat(shown.get("kind").asString()).isEqualTo("DPO");
        assertThat(shown.get("step").asInt()).isZero();
        assertThat(shown.get("metrics").isObject()).isTrue();
    }

    @Test
    void betaThatIsNotPositiveIsABadRequestNamingIt() throws Exception {
        assertProblem(post(dpo(sr.m0().getId(), "SR", "{\"beta\": 0}")), 400, "hyperparameters.beta");
    }

    @Test
    void learningRateOutOfRangeIsABadRequestNamingIt() throws Exception {
        assertProblem(post(dpo(sr.m0().getId(), "SR", "{\"learningRate\": 5}")), 400, "hyperparameters.learningRate");
    }

    @Test
    void snapshotEveryBelowOneIsABadRequestNamingIt() throws Exception {
        assertProblem(post(dpo(sr.m0().getId(), "SR", "{\"snapshotEvery\": 0}")), 400, "hyperparameters.snapshotEvery");
    }

    @Test
    void aLoraJobIsQueuedWithItsAdapters() throws Exception {
        HttpResponse<String> created = post(
                dpo(
                        sr.m0().getId(),
                        "SR",
                        "{\"lora\": {\"rank\": 8, \"alpha\": 16, \"dropout\": 0.05, \"targetModules\": [\"q_proj\", \"v_proj\"]}}"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(json.readTree(created.body()).get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void loraValuesOutOfRangeAreBadRequestsNamingTheField() throws Exception {
        assertProblem(post(dpo(sr.m0().getId(), "SR", "{\"lora\": {\"rank\": 0}}")), 400, "hyperparameters.lora.rank");
        assertProblem(
                post(dpo(sr.m0().getId(), "SR", "{\"lora\": {\"alpha\": 0}}")), 400, "hyperparameters.lora.alpha");
        assertProblem(
                post(dpo(sr.m0().getId(), "SR", "{\"lora\": {\"dropout\": 1.0}}")),
                400,
                "hyperparameters.lora.dropout");
        assertProblem(
                post(dpo(sr.m0().getId(), "SR", "{\"lora\": {\"dropout\": -0.1}}")),
                400,
                "hyperparameters.lora.dropout");
        assertProblem(
                post(dpo(sr.m0().getId(), "SR", "{\"lora\": {\"targetModules\": []}}")),
                400,
                "hyperparameters.lora.targetModules");
        assertProblem(post(dpo(sr.m0().getId(), "SR", "{\"lora\": {\"rnk\": 8}}")), 400, "hyperparameters.lora.rnk");
    }

    @Test
    void anUnknownLoraModuleIsABadRequestListingTheKnownOnes() throws Exception {
        HttpResponse<String> response =
                post(dpo(sr.m0().getId(), "SR", "{\"lora\": {\"targetModules\": [\"q_proj\", \"qkv_proj\"]}}"));

        assertProblem(response, 400, "hyperparameters.lora.targetModules");
        assertThat(json.readTree(response.body()).get("detail").asString())
                .contains("unknown module 'qkv_proj'")
                .contains("gate_proj");
    }

    @Test
    void aJobCanChooseWhereItTrainsWithinBounds() throws Exception {
        String chosen = dpo(sr.m0().getId(), "SR", "{}").strip();
        chosen = chosen.substring(0, chosen.length() - 1) + ", \"trainer\": {\"executor\": \"process\"}}";
        HttpResponse<String> created = post(chosen);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(jobs.findById(json.readTree(created.body()).get("id").asLong())
                        .orElseThrow()
                        .getTrainer())
                .contains("\"process\"");

        for (String[] bad : new String[][] {
            {"{\"executor\": \"ray\"}", "trainer.executor"},
            {"{\"nodes\": 0}", "trainer.nodes"},
            {"{\"gpusPerNode\": 17}", "trainer.gpusPerNode"},
            {"{\"image\": \"$(curl evil)\"}", "trainer.image"}
        }) {
            String body = dpo(sr.m0().getId(), "SR", "{}").strip();
            body = body.substring(0, body.length() - 1) + ", \"trainer\": " + bad[0] + "}";
            assertProblem(post(body), 400, bad[1]);
        }
    }

    @Test
    void unknownGenerationIsNotFoundNamingTheField() throws Exception {
        assertProblem(post(dpo(987_654_321L, "SR", "{}")), 404, "baseGenerationId");
    }

    @Test
    void emptyDatasetIsABadRequest() throws Exception {
        assertProblem(post(dpo(sr.m0().getId(), "D2", "{}")), 400, "dataset");
    }

    @Test
    void missingKindIsABadRequestNamingIt() throws Exception {
        assertProblem(
                post("{\"baseGenerationId\": %d, \"dataset\": {}}"
                        .formatted(sr.m0().getId())),
                400,
                "kind");
    }

    @Test
    void unknownJobIsNotFound() throws Exception {
        HttpResponse<String> read =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/trainings/987654321"))
                        .header("Authorization", "Bearer " + serviceToken));
        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(read.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    private void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).isNotBlank();
    }
}
