package org.tsr.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * Every metric that a Grafana dashboard in {@code deploy/grafana/dashboards} queries is one the services really
 * export. The platform runs one bootstrapped SR iteration with evaluation (oracle-graded and pairwise) on the tiny model first, so the meters that
 * appear with their first use (generation, judging, training, the iteration's pair, evaluation and judge figures)
 * exist. Then each service's {@code /actuator/prometheus} is scraped and every metric name of every dashboard query
 * must be among the series.
 */
class DashboardMetricsTest {

    static final Path DASHBOARDS = Path.of("..", "deploy", "grafana", "dashboards");
    static final String JUDGE_TEMPLATE = "judge {prompt} = {response}";
    /** Series Prometheus makes itself for each target; the services cannot export them. */
    static final Set<String> FROM_PROMETHEUS = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    static final Set<String> NOT_METRICS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan");

    @TempDir
    static Path work;

    static Platform platform;
    static final HttpClient http = HttpClient.newHttpClient();
    static final JsonMapper json = JsonMapper.builder().build();
    static final Map<Service, String> scraped = new EnumMap<>(Service.class);

    @BeforeAll
    static void runOneIterationAndScrapeEveryService() throws Exception {
        TestDatabase.Connection db = TestDatabase.connection();
        platform = Platform.start(
                db.url(),
                db.user(),
                db.password(),
                Map.of(
                        "tsr.access.enabled", "false",
                        "tsr.orchestration.tick", "200ms",
                        "tsr.observability.refresh", "200ms",
                        "tsr.generator.idle-poll", "100ms",
                        "tsr.judge.idle-poll", "100ms",
                        "tsr.pairing.idle-poll", "100ms",
                        "tsr.trainer.idle-poll", "100ms",
                        "tsr.trainer.checkpoint-dir",
                                work.resolve("checkpoints").toString()));
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        Path base = TinyModels.create(work.resolve("base"), TinyModels.tiny(vocabulary), vocabulary, 3);
        long baseId = platform.bean(Service.GATEWAY, ModelGenerationRepository.class)
                .save(ModelGeneration.imported(
                        "tiny-base", GenerationKind.BASE, base.toUri().toString(), CheckpointFormat.HF_SAFETENSORS))
                .getId();
        long prompts = uploadPrompts();
        long runId = post("/api/v1/runs", """
                {"name": "metrics", "method": "SR", "promptSetId": %d, "iterations": 1,
                 "bootstrap": {"baseGenerationId": %d, "promptSetId": %d,
                                                              "hyperparameters": {"learningRate": 0.003, "minLearningRate": 0.0003, "epochs": 8,
                                                   "batchSize": 8}},
                 "samplesPerPrompt": 4, "judgeSamples": 2,
                 "sampling": {"temperature": 1.0, "topP": 1.0, "maxTokens": 8, "seed": 7},
                 "judge": {"temperature": 1.0, "maxTokens": 12, "template": "%s"},
                 "dpo": {"learningRate": 0.0001, "epochs": 1, "batchSize": 4},
                 "evaluation": {"enabled": true, "maxTokens": 8, "judgeGenerationId": %d, "judgeMaxTokens": 8,
                                "judgeTemplate": "compare {prompt} 1={first} 2={second} Better: "}}
                """.formatted(prompts, baseId, prompts, JUDGE_TEMPLATE, baseId))
                .get("id")
                .asLong();
        JsonNode run = awaitRun(runId);
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode diagnostics = run.get("iterations").get(0).get("diagnostics");
        assertThat(diagnostics.has("evaluation")
                        && diagnostics.get("evaluation").has("pairwise")
                        && diagnostics.has("judge"))
                .as(diagnostics.toString())
                .isTrue();
        System.gc(); // so that every service has a GC pause to show
        Thread.sleep(1_000); // past the run gauges' refresh
        for (Service service : Service.values()) {
            scrape(service); // the first scrape is what makes the HTTP server meters of a quiet service appear
            scraped.put(service, scrape(service));
        }
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void everyMetricADashboardQueriesIsExportedByAService() throws Exception {
        Set<String> exported = new TreeSet<>();
        scraped.values().forEach(text -> exported.addAll(seriesNames(text)));
        Map<String, Set<String>> missing = new TreeMap<>();
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            dashboards = files.filter(file -> file.toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
        assertThat(dashboards).extracting(file -> file.getFileName().toString()).contains("runs.json", "services.json");
        int queries = 0;
        for (Path file : dashboards) {
            for (String query : queries(json.readTree(file.toFile()))) {
                queries++;
                Set<String> names = metricNames(query);
                assertThat(names).as("metrics in " + query).isNotEmpty();
                for (String name : names) {
                    if (!exported.contains(name) && !FROM_PROMETHEUS.contains(name)) {
                        missing.computeIfAbsent(file.getFileName() + ": " + name, key -> new TreeSet<>())
                                .add(query);
                    }
                }
            }
        }
        assertThat(queries).isGreaterThan(30);
        assertThat(missing)
                .as("metrics queried by a dashboard that no service exports")
                .isEmpty();
    }

    @Test
    void everySeriesOfEveryServiceCarriesItsApplicationTag() {
        Map<Service, String> names = Map.of(
                Service.GENERATOR, "generator-service",
                Service.JUDGE, "judge-service",
                Service.PAIRING, "pairing-service",
                Service.TRAINER, "trainer-service",
                Service.GATEWAY, "gateway");
        scraped.forEach((service, text) -> {
            List<String> untagged = text.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .filter(line -> !line.contains("application=\"" + names.get(service) + "\""))
                    .toList();
            assertThat(untagged)
                    .as(service + " series without their application tag")
                    .isEmpty();
            assertThat(seriesNames(text)).as(service.toString()).contains("tsr_work_queue_depth");
        });
        assertThat(seriesNames(scraped.get(Service.GATEWAY)))
                .contains("tsr_runs", "tsr_run_score_gap", "tsr_run_phase_duration_seconds_count");
    }

    @Test
    void metricNamesAreReadFromQueriesWithoutFunctionsLabelsOrGroupings() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le, application) (rate(http_x_bucket{application=~"
                        + "\"$application\", status=~\"5..\"}[$__rate_interval])))"))
                .containsExactly("http_x_bucket");
        assertThat(metricNames("sum(rate(a_sum[5m])) / on (job) group_left (x) sum(rate(b_count[1e3s])) > bool 0"))
                .containsExactly("a_sum", "b_count");
        assertThat(metricNames("label_values(jvm_memory_used_bytes, application)"))
                .containsExactly("jvm_memory_used_bytes");
    }

    /** The PromQL of every panel target and every query variable. */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        collectPanels(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString().equals("query")) {
                queries.add(variable.path("definition").asString());
            }
        }
        return queries;
    }

    private static void collectPanels(JsonNode panels, List<String> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asString());
            }
            collectPanels(panel.path("panels"), queries);
        }
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*,");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][\\w:]*+(?!\\s*\\()");

    /**
     * The metric names in a PromQL expression: identifiers that are not functions, label names or values, range
     * durations, grouping labels or keywords.
     */
    static Set<String> metricNames(String query) {
        Set<String> names = new TreeSet<>();
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.find()) {
            names.add(labelValues.group(1));
            return names;
        }
        String stripped = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            if (!NOT_METRICS.contains(identifier.group())) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    /** The names of the series in a Prometheus text exposition. */
    static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition
                .lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private static String scrape(Service service) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(service, "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(service + " " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static long uploadPrompts() throws Exception {
        Random random = new Random(11);
        List<String> lines = new ArrayList<>();
        // answers and judge examples: M0 has to end its judgments in "Score: n" for pairs to form, and answer well
        // enough now and then for the oracle to tell its samples apart
        for (int i = 0; i < 32; i++) {
            String word = word(random);
            String prompt = "reverse " + word;
            String answer = new StringBuilder(word).reverse().toString();
            lines.add(line(prompt, "IFT", answer));
            String candidate = i % 2 == 0 ? answer : word;
            String judgePrompt = JUDGE_TEMPLATE.replace("{prompt}", prompt).replace("{response}", candidate);
            lines.add(line(judgePrompt, "EFT", "Score: " + (candidate.equals(answer) ? 5 : 1)));
        }
        // with reference answers, so that the oracle grades the iteration's samples, pairs and evaluation
        for (String split : List.of("ITERATION", "ITERATION", "ITERATION", "ITERATION", "EVAL", "EVAL", "EVAL")) {
            String word = word(random);
            lines.add(line(
                    "reverse " + word, split, new StringBuilder(word).reverse().toString()));
        }
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(Service.GATEWAY, "/api/v1/prompt-sets?name=metrics-" + UUID.randomUUID()))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asLong();
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
                Map.of("prompt", prompt, "split", split, "reference", reference, "family", "reverse"));
    }

    private static JsonNode awaitRun(long runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri(Service.GATEWAY, "/api/v1/runs/" + runId))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode run = json.readTree(response.body());
            String status = run.path("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || System.nanoTime() > deadline) {
                return run;
            }
            Thread.sleep(250);
        }
    }

    private static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(Service.GATEWAY, path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return json.readTree(response.body());
    }

    private static URI uri(Service service, String path) {
        return URI.create("http://localhost:" + platform.port(service) + path);
    }
}
