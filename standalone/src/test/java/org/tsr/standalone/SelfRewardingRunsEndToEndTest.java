package org.tsr.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.standalone.Platform.Service;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.testkit.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A TSR run and an SR run of one iteration each, through the gateway's REST API, with all five services working the
 * queue on the tiny model. M0 is first fine-tuned (through the trainer's API) on a small reversal task and on judge
 * examples, so that it answers judge prompts with "Score: n" and its judgments can be paired.
 */
class SelfRewardingRunsEndToEndTest {

    static final String JUDGE_TEMPLATE = "judge {prompt} = {response}";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);

    @TempDir
    static Path work;

    static Platform platform;
    static final HttpClient http = HttpClient.newHttpClient();
    static final JsonMapper json = JsonMapper.builder().build();
    static long m0;
    static long m0TrainingJob;
    static long baseId;
    static long seedSet;

    @BeforeAll
    static void startPlatformAndBootstrapM0() throws Exception {
        TestDatabase.Connection db = TestDatabase.connection();
        platform = Platform.start(
                db.url(),
                db.user(),
                db.password(),
                Map.of(
                        "tsr.access.enabled", "false",
                        "tsr.orchestration.tick", "200ms",
                        "tsr.generator.idle-poll", "100ms",
                        "tsr.judge.idle-poll", "100ms",
                        "tsr.pairing.idle-poll", "100ms",
                        "tsr.trainer.idle-poll", "100ms",
                        "tsr.trainer.checkpoint-dir",
                                work.resolve("checkpoints").toString()));
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        Path base = TinyModels.create(work.resolve("base"), TinyModels.tiny(vocabulary), vocabulary, 3);
        baseId = platform.bean(Service.GATEWAY, ModelGenerationRepository.class)
                .save(ModelGeneration.imported(
                        "tiny-base", GenerationKind.BASE, base.toUri().toString(), CheckpointFormat.HF_SAFETENSORS))
                .getId();
        seedSet = uploadPrompts(bootstrapLines());
        JsonNode job = post(Service.TRAINER, "/trainings", """
                {"kind": "SFT", "baseGenerationId": %d, "dataset": {"promptSetId": %d},
                 "hyperparameters": {"learningRate": 0.003, "minLearningRate": 0.0003, "epochs": 12, "batchSize": 8}}
                """.formatted(baseId, seedSet));
        JsonNode done = await(Service.TRAINER, "/trainings/" + job.get("id").asLong(), "SUCCEEDED", "FAILED");
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        m0 = done.get("outputGenerationId").asLong();
        m0TrainingJob = job.get("id").asLong();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theGatewayRoutesToEachServiceOnItsOwnPort() throws Exception {
        JsonNode viaGateway = get(Service.GATEWAY, "/api/v1/trainer/trainings/" + m0TrainingJob);
        assertThat(viaGateway.get("outputGenerationId").asLong()).isEqualTo(m0);
        JsonNode models = get(Service.GATEWAY, "/api/v1/generator/v1/models");
        assertThat(models.get("data").toString()).contains("generation-" + m0);
    }

    @Test
    void temporalSelfRewardingIterationAnchorsOnM0AndTrainsThroughAFutureModel() throws Exception {
        JsonNode run = runToTheEnd("TSR");

        JsonNode iteration = run.get("iterations").get(0);
        JsonNode pairs = iteration.get("diagnostics").get("pairs");
        assertThat(pairs.get("D1").get("pairs").asInt()).isPositive();
        assertThat(pairs.get("D2").get("pairs").asInt()).isPositive();
        assertThat(iteration.get("timings").has("TRAINING_FUTURE")).isTrue();
        JsonNode lineage = get(Service.GATEWAY, "/api/v1/generations/" + m0 + "/lineage");
        List<String> kinds = new ArrayList<>();
        collectKinds(lineage, kinds);
        assertThat(kinds).contains("FUTURE", "POLICY");
        JsonNode page =
                get(Service.GATEWAY, "/api/v1/runs/" + run.get("id").asLong() + "/iterations/0/pairs?dataset=D2");
        assertThat(page.get("pairs").get(0).get("chosenScore").asDouble())
                .isGreaterThan(page.get("pairs").get(0).get("rejectedScore").asDouble());
    }

    @Test
    void selfRewardingRunBootstrapsItsM0ThenPairsBestAgainstWorst() throws Exception {
        String body = """
                {"name": "SR bootstrapped", "method": "SR", "promptSetId": %d, "iterations": 1,
                 "bootstrap": {"baseGenerationId": %d, "promptSetId": %d,
                               "hyperparameters": {"learningRate": 0.003, "minLearningRate": 0.0003, "epochs": 12,
                                                   "batchSize": 8}},
                 "samplesPerPrompt": 4, "judgeSamples": 3,
                 "sampling": {"temperature": 1.0, "topP": 1.0, "maxTokens": 8, "seed": 7},
                 "judge": {"temperature": 1.0, "maxTokens": 12, "template": "%s"},
                 "dpo": {"learningRate": 0.0001, "epochs": 1, "batchSize": 4}}
                """.formatted(uploadPrompts(iterationLines()), baseId, seedSet, JUDGE_TEMPLATE);
        long runId = post(Service.GATEWAY, "/api/v1/runs", body).get("id").asLong();
        JsonNode run = await(Service.GATEWAY, "/api/v1/runs/" + runId, "SUCCEEDED", "FAILED");

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode iteration = run.get("iterations").get(0);
        assertThat(iteration.get("timings").has("BOOTSTRAPPING")).isTrue();
        assertThat(iteration
                        .get("diagnostics")
                        .get("pairs")
                        .get("SR")
                        .get("pairs")
                        .asInt())
                .isPositive();
        long runM0 = run.get("initialGenerationId").asLong();
        assertThat(get(Service.GATEWAY, "/api/v1/generations/" + runM0)
                        .get("parentId")
                        .asLong())
                .isEqualTo(baseId);
        JsonNode m1 = get(
                Service.GATEWAY,
                "/api/v1/generations/" + iteration.get("nextGenerationId").asLong());
        assertThat(m1.get("status").asString()).isEqualTo("READY");
        assertThat(m1.get("parentId").asLong()).isEqualTo(runM0);
    }

    @Test
    void servicesRestartedMidRunLoseNothingAndChangeNothing() throws Exception {
        long prompts = uploadPrompts(iterationLines());
        JsonNode undisturbed = await(Service.GATEWAY, "/api/v1/runs/" + start("TSR", prompts), "SUCCEEDED", "FAILED");

        // a stopped service holds its phase, so each disturbance lands where it is meant to however fast the run is
        platform.stop(Service.JUDGE);
        long disturbedId = start("TSR", prompts);
        awaitPhase(disturbedId, "JUDGING");
        platform.start(Service.JUDGE);
        platform.stop(Service.GENERATOR);
        platform.restart(Service.GATEWAY);
        awaitPhase(disturbedId, "GENERATING_FUTURE");
        platform.start(Service.GENERATOR);
        platform.restart(Service.JUDGE);
        JsonNode disturbed = await(Service.GATEWAY, "/api/v1/runs/" + disturbedId, "SUCCEEDED", "FAILED");

        assertThat(disturbed.get("status").asString()).as(disturbed.toString()).isEqualTo("SUCCEEDED");
        JsonNode before =
                undisturbed.get("iterations").get(0).get("diagnostics").get("pairs");
        JsonNode after = disturbed.get("iterations").get(0).get("diagnostics").get("pairs");
        for (String dataset : List.of("D1", "D2")) {
            assertThat(after.get(dataset).get("pairs").asInt())
                    .as(dataset + " pairs")
                    .isEqualTo(before.get(dataset).get("pairs").asInt());
            assertThat(after.get(dataset).get("meanScoreGap").asDouble())
                    .isEqualTo(before.get(dataset).get("meanScoreGap").asDouble());
        }
    }

    @Test
    void aRunOnPromptsWithoutAnOracleIsJudgedPairwiseAgainstM0() throws Exception {
        List<String> lines = new ArrayList<>(iterationLines());
        Random random = new Random(31);
        for (int i = 0; i < 4; i++) {
            lines.add(line("reverse " + word(random), "EVAL", null));
        }
        String body = """
                {"name": "SR judged pairwise", "method": "SR", "initialGenerationId": %d, "promptSetId": %d,
                 "iterations": 1, "samplesPerPrompt": 4, "judgeSamples": 3,
                 "sampling": {"temperature": 1.0, "topP": 1.0, "maxTokens": 8, "seed": 7},
                 "judge": {"temperature": 1.0, "maxTokens": 12, "template": "%s"},
                 "dpo": {"learningRate": 0.0001, "epochs": 1, "batchSize": 4},
                 "evaluation": {"maxTokens": 8, "judgeGenerationId": %d, "judgeMaxTokens": 8,
                                "judgeTemplate": "compare {prompt} 1={first} 2={second} Better: "}}
                """.formatted(m0, uploadPrompts(lines), JUDGE_TEMPLATE, m0);
        long runId = post(Service.GATEWAY, "/api/v1/runs", body).get("id").asLong();
        JsonNode done = await(Service.GATEWAY, "/api/v1/runs/" + runId, "SUCCEEDED", "FAILED");
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");

        JsonNode report = get(Service.GATEWAY, "/api/v1/runs/" + runId + "/report");
        JsonNode pairwise = report.get("iterations").get(0).get("evaluation").get("pairwise");
        assertThat(pairwise.get("prompts").asInt()).as(pairwise.toString()).isEqualTo(4);
        assertThat(pairwise.get("judgeGenerationId").asLong()).isEqualTo(m0);
        assertThat(pairwise.get("referenceGenerationId").asLong()).isEqualTo(m0);
        assertThat(pairwise.get("generationId").asLong())
                .isEqualTo(done.get("iterations").get(0).get("nextGenerationId").asLong());
        assertThat(pairwise.get("wins").asInt()
                        + pairwise.get("losses").asInt()
                        + pairwise.get("ties").asInt())
                .isEqualTo(4);
        double winRate = pairwise.get("winRate").asDouble();
        assertThat(winRate).isBetween(0.0, 1.0);
        assertThat(pairwise.get("winRateLow").asDouble()).isLessThanOrEqualTo(winRate);
        assertThat(pairwise.get("winRateHigh").asDouble()).isGreaterThanOrEqualTo(winRate);
        double controlled = pairwise.get("lengthControlledWinRate").asDouble();
        assertThat(pairwise.get("lengthControlledLow").asDouble()).isLessThanOrEqualTo(controlled);
        assertThat(pairwise.get("lengthControlledHigh").asDouble()).isGreaterThanOrEqualTo(controlled);
        assertThat(done.get("iterations").get(0).get("timings").has("JUDGING_EVALUATION"))
                .isTrue();
    }

    /** Waits until the run is in the phase; fails if the run got past it or ended first. */
    private static void awaitPhase(long runId, String phase) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            JsonNode run = get(Service.GATEWAY, "/api/v1/runs/" + runId);
            seen = run.get("iterations").get(0).get("phase").asString();
            if (seen.equals(phase)) {
                return;
            }
            assertThat(run.get("status").asString())
                    .as("run ended before " + phase)
                    .isEqualTo("RUNNING");
            Thread.sleep(10);
        }
        throw new AssertionError("run " + runId + " never reached " + phase + "; last seen in " + seen);
    }

    private static long start(String method, long prompts) throws Exception {
        String body = """
                {"name": "%s end to end", "method": "%s", "initialGenerationId": %d, "promptSetId": %d,
                 "iterations": 1, "samplesPerPrompt": 4, "judgeSamples": 3,
                 "sampling": {"temperature": 1.0, "topP": 1.0, "maxTokens": 8, "seed": 7},
                 "judge": {"temperature": 1.0, "maxTokens": 12, "template": "%s"},
                 "dpo": {"learningRate": 0.0001, "epochs": 1, "batchSize": 4}}
                """.formatted(method, method, m0, prompts, JUDGE_TEMPLATE);
        return post(Service.GATEWAY, "/api/v1/runs", body).get("id").asLong();
    }

    private static JsonNode runToTheEnd(String method) throws Exception {
        long runId = start(method, uploadPrompts(iterationLines()));
        JsonNode done = await(Service.GATEWAY, "/api/v1/runs/" + runId, "SUCCEEDED", "FAILED");
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return done;
    }

    /** Reversal instructions with answers (IFT) and judge examples that end in the score (EFT). */
    private static List<String> bootstrapLines() {
        Random random = new Random(11);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String word = word(random);
            String prompt = "reverse " + word;
            String answer = new StringBuilder(word).reverse().toString();
            lines.add(line(prompt, "IFT", answer));
            String candidate = switch (i % 3) {
                case 0 -> answer;
                case 1 -> word;
                default -> answer.substring(1);
            };
            int score = candidate.equals(answer) ? 5 : candidate.equals(word) ? 1 : 3;
            String judgePrompt = JUDGE_TEMPLATE.replace("{prompt}", prompt).replace("{response}", candidate);
            lines.add(line(judgePrompt, "EFT", "Score: " + score));
        }
        return lines;
    }

    private static List<String> iterationLines() {
        Random random = new Random(23);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(line("reverse " + word(random), "ITERATION", null));
        }
        return lines;
    }

    private static String word(Random random) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < 3 + random.nextInt(2); i++) {
            word.append((char) ('a' + random.nextInt(6)));
        }
        return word.toString();
    }

    private static String line(String prompt, String split, String reference) {
        return json.writeValueAsString(
                reference == null
                        ? Map.of("prompt", prompt, "split", split)
                        : Map.of("prompt", prompt, "split", split, "reference", reference));
    }

    private static long uploadPrompts(List<String> lines) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(Service.GATEWAY, "/api/v1/prompt-sets?name=e2e-" + UUID.randomUUID()))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asLong();
    }

    private static JsonNode await(Service service, String path, String... finalStatuses) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (true) {
            JsonNode state = get(service, path);
            String status = state.get("status").asString();
            if (List.of(finalStatuses).contains(status) || System.nanoTime() > deadline) {
                return state;
            }
            Thread.sleep(500);
        }
    }

    private static void collectKinds(JsonNode node, List<String> kinds) {
        kinds.add(node.get("kind").asString());
        node.get("children").forEach(child -> collectKinds(child, kinds));
    }

    private static JsonNode post(Service service, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(service, path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return json.readTree(response.body());
    }

    private static JsonNode get(Service service, String path) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri(service, path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** The gateway's own API, or a service's through the gateway's route (the services answer only the gateway). */
    private static URI uri(Service service, String path) {
        String base = "http://127.0.0.1:" + platform.port(Service.GATEWAY);
        return URI.create(service == Service.GATEWAY ? base + path : base + "/api/v1/" + service.routeName() + path);
    }
}
