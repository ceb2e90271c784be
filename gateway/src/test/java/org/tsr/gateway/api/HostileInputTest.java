package org.tsr.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.run.RunRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The probes an attacker or a careless client sends: each is a 4xx naming the field, and stores nothing. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tsr.orchestration.conduct=false",
            "tsr.access.enabled=false",
            "tsr.uploads.max-size=64KB",
            "tsr.inference.remote.allowed-hosts=vllm"
        })
class HostileInputTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    ModelGenerationRepository generations;

    @Autowired
    RunRepository runs;

    @Autowired
    PromptSetRepository promptSets;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    long promptSet;
    long m0;

    @BeforeEach
    void aPromptSetAndAModel() throws Exception {
        promptSet = json.readTree(upload("set-" + UUID.randomUUID(), "{\"prompt\": \"sort: cba\"}\n")
                        .body())
                .get("id")
                .asLong();
        m0 = generations
                .save(ModelGeneration.imported("M0", GenerationKind.SFT, "file:///m0", CheckpointFormat.HF_SAFETENSORS))
                .getId();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> upload(String name, String lines) throws Exception {
        return send("POST", "/api/v1/prompt-sets?name=" + name, lines);
    }

    /** A valid run request with {@code extra} fields added at its top level. */
    String run(String extra) {
        return "{\"name\": \"r\", \"method\": \"SR\", \"initialGenerationId\": " + m0 + ", \"promptSetId\": "
                + promptSet + ", \"iterations\": 1" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    void assertRefused(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        if (field == null) {
            assertThat(problem.has("field")).as(response.body()).isFalse();
        } else {
            assertThat(problem.get("field").asString()).as(response.body()).isEqualTo(field);
        }
    }

    @Test
    void runRequestsOutOfShapeOrBoundsAreRefusedNamingTheFieldAndStoreNothing() throws Exception {
        long before = runs.count();

        assertRefused(send("POST", "/api/v1/runs", run("\"samplesPerPromt\": 4")), 400, "samplesPerPromt");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"sampling\": {\"maxTokens\": 2000000000}")),
                400,
                "sampling.maxTokens");
        assertRefused(send("POST", "/api/v1/runs", run("\"dpo\": {\"beta\": \"lots\"}")), 400, "dpo.beta");
        assertRefused(send("POST", "/api/v1/runs", run("\"dpo\": {\"bta\": 0.1}")), 400, "dpo.bta");
        assertRefused(
                send(
                        "POST",
                        "/api/v1/runs",
                        run("\"dpo\": {\"batchSize\": 2147483647, \"gradientAccumulationSteps\":" + " 2147483647}")),
                400,
                "dpo.batchSize");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"dpo\": {\"batchSize\": 512, \"gradientAccumulationSteps\": 512}")),
                400,
                "dpo.batchSize");
        assertRefused(send("POST", "/api/v1/runs", run("").replace("\"r\"", "\"a\\u0000b\"")), 400, "name");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"bootstrap\": {\"baseGenerationId\": 1, \"splits\": [null]}")),
                400,
                "bootstrap.splits[0]");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"judge\": {\"template\": \"{prompt} {response} {response}\"}")),
                400,
                "judge.template");
        assertRefused(send("POST", "/api/v1/runs", run("\"iterations\": \"many\"")), 400, "iterations");
        assertRefused(
                send(
                        "POST",
                        "/api/v1/runs",
                        run("\"evaluation\": {\"judgeGenerationId\": 1, \"judgeTemplate\": \"{prompt} {first}\"}")),
                400,
                "evaluation.judgeTemplate");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"evaluation\": {\"judgeMaxTokens\": 0}")),
                400,
                "evaluation.judgeMaxTokens");
        // values the request's own bounds let through, refused as the services would read them
        assertRefused(
                send("POST", "/api/v1/runs", run("\"sampling\": {\"temperature\": \"Infinity\"}")),
                400,
                "sampling.temperature");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"judge\": {\"temperature\": 1e999}")), 400, "judge.temperature");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"dpo\": {\"lora\": {\"targetModules\": []}}")),
                400,
                "dpo.lora.targetModules");
        assertRefused(send("POST", "/api/v1/runs", run("\"dpo\": {\"weightDecay\": 1}")), 400, "dpo.weightDecay");
        // where training runs: a known executor, bounded nodes and GPUs, an image reference without shell characters
        assertRefused(
                send("POST", "/api/v1/runs", run("\"trainer\": {\"executor\": \"slurm\"}")), 400, "trainer.executor");
        assertRefused(send("POST", "/api/v1/runs", run("\"trainer\": {\"nodes\": 0}")), 400, "trainer.nodes");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"trainer\": {\"gpusPerNode\": 1000}")), 400, "trainer.gpusPerNode");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"trainer\": {\"image\": \"trl:1; rm -rf /\"}")),
                400,
                "trainer.image");
        assertRefused(send("POST", "/api/v1/runs", run("\"trainer\": {\"gpus\": 8}")), 400, "trainer.gpus");
        // fields that do not apply to the executor chosen are refused rather than ignored
        assertRefused(
                send("POST", "/api/v1/runs", run("\"trainer\": {\"executor\": \"process\", \"nodes\": 8}")),
                400,
                "trainer.nodes");
        assertRefused(
                send("POST", "/api/v1/runs", run("\"trainer\": {\"executor\": \"embedded\", \"image\": \"a/b:1\"}")),
                400,
                "trainer.image");
        assertRefused(
                send(
                        "POST",
                        "/api/v1/runs",
                        run("\"trainer\": {\"executor\": \"kubernetes-job\", \"gpusPerNode\": 4}")),
                400,
                "trainer.gpusPerNode");
        assertRefused(send("POST", "/api/v1/runs", "{\"name\": "), 400, null);

        assertThat(runs.count()).isEqualTo(before);
    }

    @Test
    void uploadsOutOfShapeOrBoundsAreRefusedNamingTheLineAndStoreNothing() throws Exception {
        long before = promptSets.count();

        assertRefused(upload("nul-" + UUID.randomUUID(), "{\"prompt\": \"a\\u0000b\"}\n"), 400, "line 1: prompt");
        assertRefused(
                upload("surrogate-" + UUID.randomUUID(), "{\"prompt\": \"ok\"}\n{\"prompt\": \"\\ud800x\"}\n"),
                400,
                "line 2: prompt");
        assertRefused(
                upload("blank-" + UUID.randomUUID(), "{\"prompt\": \"p\", \"family\": \"mine\", \"reference\": \" \"}"),
                400,
                "line 1: reference");
        assertRefused(upload("big-" + UUID.randomUUID(), "{\"prompt\": \"x\"}\n".repeat(5000)), 413, "body");
        assertRefused(upload("a%00b", "{\"prompt\": \"x\"}\n"), 400, "name");

        assertThat(promptSets.count()).isEqualTo(before);
    }

    @Test
    void twoUploadsOfOneNameAtOnceGiveOneCreatedAndOneConflict() throws Exception {
        String name = "race-" + UUID.randomUUID();
        String lines = "{\"prompt\": \"x\"}\n".repeat(200);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<HttpResponse<String>> call = () -> upload(name, lines);
                answers.add(pool.submit(call));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                statuses.add(answer.get().statusCode());
            }
            assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRemoteModelOffTheAllowListIsNotRegistered() throws Exception {
        long before = generations.count();
        String metadata = "{\"name\": \"m\", \"kind\": \"BASE\", \"checkpointFormat\": \"REMOTE_OPENAI\","
                + " \"checkpointUri\": \"http://169.254.169.254/latest/meta-data#x\"}";

        HttpResponse<String> refused = send("POST", "/api/v1/generations", metadata);
        assertRefused(refused, 400, "checkpointUri");
        assertThat(json.readTree(refused.body()).get("detail").asString())
                .contains("host '169.254.169.254' is not an allowed inference server");
        assertRefused(
                send(
                        "POST",
                        "/api/v1/generations",
                        metadata.replace("169.254.169.254/latest/meta-data", "u:p@vllm/v1")),
                400,
                "checkpointUri");
        assertThat(generations.count()).isEqualTo(before);

        HttpResponse<String> allowed = send(
                "POST", "/api/v1/generations", metadata.replace("169.254.169.254/latest/meta-data", "vllm:8000/v1"));
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(201);

        // a remote model can judge, not be a run's policy: the trainer could not train it
        long remote = json.readTree(allowed.body()).get("id").asLong();
        long runs = this.runs.count();
        HttpResponse<String> policy = send(
                "POST",
                "/api/v1/runs",
                run("").replace("\"initialGenerationId\": " + m0, "\"initialGenerationId\": " + remote));
        assertRefused(policy, 400, "initialGenerationId");
        assertThat(json.readTree(policy.body()).get("detail").asString()).contains("REMOTE_OPENAI");
        assertThat(this.runs.count()).isEqualTo(runs);
    }
}
