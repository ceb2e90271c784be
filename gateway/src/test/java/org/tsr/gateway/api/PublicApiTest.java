package org.tsr.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The public API over HTTP: uploads, runs, lineage, and the problem details of bad requests. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tsr.orchestration.conduct=false", "tsr.access.enabled=false"})
class PublicApiTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    ModelGenerationRepository generations;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    long uploadPrompts(String lines) throws Exception {
        HttpResponse<String> response =
                send("POST", "/api/v1/prompt-sets?name=set-" + UUID.randomUUID(), lines, "application/x-ndjson");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asLong();
    }

    @Test
    void uploadsPromptsAndStartsARunThatShowsItsFirstPhase() throws Exception {
        long promptSet = uploadPrompts("""
                {"prompt": "sort: cba", "reference": "abc", "family": "sort"}
                {"prompt": "reverse: abc", "chunk": 0}

                {"prompt": "held out", "split": "eval"}
                """);
        ModelGeneration m0 = generations.save(
                ModelGeneration.imported("M0", GenerationKind.SFT, "file:///m0", CheckpointFormat.HF_SAFETENSORS));

        HttpResponse<String> created =
                send("POST", "/api/v1/runs", """
                {"name": "first", "method": "TSR", "initialGenerationId": %d, "promptSetId": %d, "iterations": 1,
                 "samplesPerPrompt": 2}
                """.formatted(m0.getId(), promptSet), "application/json");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode run = json.readTree(created.body());
        assertThat(run.get("status").asString()).isEqualTo("RUNNING");
        JsonNode iteration = run.get("iterations").get(0);
        assertThat(iteration.get("phase").asString()).isEqualTo("GENERATING");
        assertThat(iteration.get("progress").get("total").asLong())
                .as("policy and anchor units")
                .isEqualTo(2);
        HttpResponse<String> fetched =
                send("GET", "/api/v1/runs/" + run.get("id").asLong(), null, null);
        assertThat(json.readTree(fetched.body())
                        .get("settings")
                        .get("samplesPerPrompt")
                        .asInt())
                .isEqualTo(2);

        HttpResponse<String> lineage = send("GET", "/api/v1/generations/" + m0.getId() + "/lineage", null, null);
        assertThat(json.readTree(lineage.body()).get("name").asString()).isEqualTo("M0");
        HttpResponse<String> pairs =
                send("GET", "/api/v1/runs/" + run.get("id").asLong() + "/iterations/0/pairs", null, null);
        assertThat(json.readTree(pairs.body()).get("total").asLong()).isZero();
    }

    @Test
    void badUploadLineIsNamed() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/api/v1/prompt-sets?name=bad-" + UUID.randomUUID(),
                "{\"prompt\": \"ok\"}\n{\"prompt\": \"x\", \"split\": \"training\"}\n",
                "application/x-ndjson");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("field").asString()).isEqualTo("line 2");
        assertThat(problem.get("detail").asString())
                .isEqualTo("line 2 has split 'training'; use IFT, EFT, ITERATION or EVAL");

        HttpResponse<String> notJson = send(
                "POST", "/api/v1/prompt-sets?name=bad-" + UUID.randomUUID(), "sort: cba\n", "application/x-ndjson");
        assertThat(json.readTree(notJson.body()).get("detail").asString()).startsWith("line 1 is not a JSON object");
    }

    @Test
    void referenceAnswersTheOracleCannotGradeAndHeldOutLeaksAreRefusedAtUpload() throws Exception {
        HttpResponse<String> blank = send(
                "POST",
                "/api/v1/prompt-sets?name=bad-" + UUID.randomUUID(),
                "{\"prompt\": \"sort: cba\", \"reference\": \"abc\", \"family\": \"sort\"}\n"
                        + "{\"prompt\": \"sort: bca\", \"reference\": \" \", \"family\": \"sort\"}\n",
                "application/x-ndjson");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(json.readTree(blank.body()).get("field").asString()).isEqualTo("line 2: reference");

        HttpResponse<String> notANumber = send(
                "POST",
                "/api/v1/prompt-sets?name=bad-" + UUID.randomUUID(),
                "{\"prompt\": \"add: 1+2\", \"split\": \"EVAL\", \"reference\": \"three\", \"family\": \"add\"}\n",
                "application/x-ndjson");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(json.readTree(notANumber.body()).get("detail").asString())
                .isEqualTo("line 1 has a add prompt whose reference 'three' is not a whole number; add answers are"
                        + " numbers");

        HttpResponse<String> leak = send(
                "POST",
                "/api/v1/prompt-sets?name=bad-" + UUID.randomUUID(),
                "{\"prompt\": \"add: 1+2\", \"reference\": \"3\", \"family\": \"add\"}\n"
                        + "{\"prompt\": \"add: 1+2\", \"split\": \"EVAL\", \"reference\": \"3\", \"family\": \"add\"}\n",
                "application/x-ndjson");
        assertThat(leak.statusCode()).isEqualTo(400);
        assertThat(json.readTree(leak.body()).get("field").asString()).isEqualTo("line 2: prompt");

        // judge examples carry a judgment as their reference, which no family grades
        HttpResponse<String> eft = send(
                "POST",
                "/api/v1/prompt-sets?name=eft-" + UUID.randomUUID(),
                "{\"prompt\": \"rate add: 1+2 -> 3\", \"split\": \"EFT\", \"reference\": \"right. Score: 5\","
                        + " \"family\": \"add\"}\n",
                "application/x-ndjson");
        assertThat(eft.statusCode()).isEqualTo(201);
    }

    @Test
    void aNoisyOracleJudgeNeedsItsAccuracyAndNoOtherJudgeTakesOne() throws Exception {
        long promptSet = uploadPrompts("{\"prompt\": \"p\"}\n");
        ModelGeneration m0 = generations.save(
                ModelGeneration.imported("M0", GenerationKind.SFT, "file:///m0", CheckpointFormat.HF_SAFETENSORS));
        String run = """
                {"name": "r", "method": "SR", "initialGenerationId": %d, "promptSetId": %d, "iterations": 1,
                 "judge": %s}
                """;

        HttpResponse<String> noAccuracy = send(
                "POST",
                "/api/v1/runs",
                run.formatted(m0.getId(), promptSet, "{\"role\": \"NOISY_ORACLE\"}"),
                "application/json");
        assertThat(noAccuracy.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noAccuracy.body()).get("field").asString()).isEqualTo("judge.accuracy");

        HttpResponse<String> outOfRange = send(
                "POST",
                "/api/v1/runs",
                run.formatted(m0.getId(), promptSet, "{\"role\": \"NOISY_ORACLE\", \"accuracy\": 1.5}"),
                "application/json");
        assertThat(outOfRange.statusCode()).isEqualTo(400);
        assertThat(json.readTree(outOfRange.body()).get("field").asString()).isEqualTo("judge.accuracy");

        HttpResponse<String> selfWithAccuracy = send(
                "POST",
                "/api/v1/runs",
                run.formatted(m0.getId(), promptSet, "{\"role\": \"SELF\", \"accuracy\": 0.9}"),
                "application/json");
        assertThat(selfWithAccuracy.statusCode()).isEqualTo(400);
        assertThat(json.readTree(selfWithAccuracy.body()).get("field").asString())
                .isEqualTo("judge.accuracy");
    }

    @Test
    void runRequestProblemsNameTheField() throws Exception {
        long promptSet = uploadPrompts("{\"prompt\": \"p\"}\n");

        HttpResponse<String> noSuchModel = send("POST", "/api/v1/runs", """
                {"name": "r", "method": "SR", "initialGenerationId": 99999999, "promptSetId": %d, "iterations": 1}
                """.formatted(promptSet), "application/json");
        assertThat(noSuchModel.statusCode()).isEqualTo(404);
        assertThat(json.readTree(noSuchModel.body()).get("field").asString()).isEqualTo("initialGenerationId");

        HttpResponse<String> kBelowOne = send("POST", "/api/v1/runs", """
                {"name": "r", "method": "SR", "initialGenerationId": 1, "promptSetId": %d, "iterations": 1,
                 "samplesPerPrompt": 0}
                """.formatted(promptSet), "application/json");
        assertThat(kBelowOne.statusCode()).isEqualTo(400);
        assertThat(json.readTree(kBelowOne.body()).get("field").asString()).isEqualTo("samplesPerPrompt");

        ModelGeneration m0 = generations.save(
                ModelGeneration.imported("M0", GenerationKind.SFT, "file:///m0", CheckpointFormat.HF_SAFETENSORS));
        HttpResponse<String> tooManyIterations =
                send("POST", "/api/v1/runs", """
                {"name": "r", "method": "SR", "initialGenerationId": %d, "promptSetId": %d, "iterations": 2}
                """.formatted(m0.getId(), promptSet), "application/json");
        assertThat(tooManyIterations.statusCode()).isEqualTo(422);
        assertThat(json.readTree(tooManyIterations.body()).get("detail").asString())
                .contains("has no ITERATION prompts in chunk 1");

        HttpResponse<String> nothingToEvaluate =
                send("POST", "/api/v1/runs", """
                {"name": "r", "method": "SR", "initialGenerationId": %d, "promptSetId": %d, "iterations": 1,
                 "evaluation": {"enabled": true}}
                """.formatted(m0.getId(), promptSet), "application/json");
        assertThat(nothingToEvaluate.statusCode()).isEqualTo(422);
        assertThat(json.readTree(nothingToEvaluate.body()).get("field").asString())
                .isEqualTo("evaluation.enabled");
    }

    @Test
    void importsAnExistingCheckpointAsAReadyGeneration(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("config.json"), "{}");
        HttpResponse<String> imported = send("POST", "/api/v1/generations", """
                {"name": "my-base", "kind": "BASE", "checkpointUri": "%s", "checkpointFormat": "HF_SAFETENSORS"}
                """.formatted(folder), "application/json");
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        JsonNode generation = json.readTree(imported.body());
        assertThat(generation.get("status").asString()).isEqualTo("READY");
        assertThat(generation.get("checkpointUri").asString())
                .isEqualTo(folder.toUri().toString());

        HttpResponse<String> missing =
                send("POST", "/api/v1/generations", """
                {"name": "nothing", "kind": "BASE", "checkpointUri": "%s", "checkpointFormat": "HF_SAFETENSORS"}
                """.formatted(folder.resolve("absent")), "application/json");
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(json.readTree(missing.body()).get("field").asString()).isEqualTo("checkpointUri");

        HttpResponse<String> trainedKind =
                send("POST", "/api/v1/generations", """
                {"name": "p", "kind": "POLICY", "checkpointUri": "%s", "checkpointFormat": "HF_SAFETENSORS"}
                """.formatted(folder), "application/json");
        assertThat(trainedKind.statusCode()).isEqualTo(400);
        assertThat(json.readTree(trainedKind.body()).get("field").asString()).isEqualTo("kind");
    }

    @Test
    void describesItselfInOpenApi() throws Exception {
        HttpResponse<String> response = send("GET", "/v3/api-docs", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = json.readTree(response.body()).get("paths");
        assertThat(paths.has("/api/v1/runs")).isTrue();
        assertThat(paths.has("/api/v1/prompt-sets")).isTrue();
        assertThat(paths.has("/api/v1/generations/{id}/lineage")).isTrue();
    }

    @Test
    void unknownRunIsNotFound() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/runs/99999999", null, null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).get("detail").asString()).isEqualTo("run 99999999 does not exist");
    }
}
