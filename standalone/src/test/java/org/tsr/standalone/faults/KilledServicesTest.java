package org.tsr.standalone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.standalone.Platform;
import org.tsr.standalone.Platform.Service;
import org.tsr.standalone.cli.FreePorts;
import org.tsr.tasks.Oracle;
import org.tsr.tasks.Task;
import org.tsr.tasks.TaskFamily;
import org.tsr.testkit.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kill test: each service runs as its own process, and during a one-iteration SR run judged by the oracle the
 * generator, judge, trainer and gateway are killed with SIGKILL several times each (and started again at once, as an
 * orchestrator would). The run must complete with exactly the pairs of an undisturbed run from the same M0, prompts
 * and seeds, with no response, judgment or pair stored twice or lost, and the gateway must never answer 5xx.
 *
 * <p>Kills are aimed: the generator and the trainer are killed while they hold a unit on its first attempts (the
 * trainer after it wrote a training checkpoint, so that the next attempt resumes), the gateway once in each phase it
 * moves the run into, as soon as it is up there. The oracle judges a unit in milliseconds, so the judge is killed
 * whenever the run is judging and it is up, holding a unit or not, and, if it drained its units before a second kill,
 * once more while idle; the figures say how many kills landed on a held unit.
 */
@Tag("kill")
class KilledServicesTest {

    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    static final int PROMPTS = 48;
    static final int SAMPLES = 4;
    static final int JUDGE_SAMPLES = 3;

    @TempDir
    static Path work;

    static TestDatabase.Connection db;
    static final Map<Service, ServiceProcess> processes = new EnumMap<>(Service.class);
    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final JsonMapper json = JsonMapper.builder().build();
    static final ExecutorService restarts = Executors.newCachedThreadPool();
    static long m0;
    static long prompts;

    @BeforeAll
    static void startTheServicesAsProcessesAndTrainM0() throws Exception {
        db = TestDatabase.connection();
        int base = FreePorts.base();
        Platform.Database database = new Platform.Database(db.url(), db.user(), db.password());
        String token = Platform.newServiceToken();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("tsr.access.enabled", "false");
        settings.put("tsr.orchestration.tick", "200ms");
        settings.put("tsr.generator.idle-poll", "100ms");
        settings.put("tsr.judge.idle-poll", "100ms");
        settings.put("tsr.pairing.idle-poll", "100ms");
        settings.put("tsr.trainer.idle-poll", "100ms");
        // a killed worker's unit is claimed again once its lease runs out
        settings.put("tsr.work-queue.lease", "3s");
        settings.put("tsr.trainer.checkpoint-dir", work.resolve("checkpoints").toString());
        Map<Service, Integer> routes = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            int port = base + service.ordinal();
            if (service != Service.GATEWAY) {
                routes.put(service, port);
            }
            processes.put(
                    service,
                    new ServiceProcess(
                            service,
                            port,
                            Platform.arguments(service, database, token, port, settings, routes),
                            work.resolve(service.applicationName() + ".log")));
        }
        // the first start applies the migrations; the others would wait on Flyway's lock anyway
        processes.get(Service.GATEWAY).start();
        processes.get(Service.GATEWAY).awaitUp(START_TIMEOUT);
        for (Service service : List.of(Service.GENERATOR, Service.JUDGE, Service.PAIRING, Service.TRAINER)) {
            processes.get(service).start();
        }
        for (ServiceProcess process : processes.values()) {
            process.awaitUp(START_TIMEOUT);
        }

        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        Path baseModel = TinyModels.create(work.resolve("base"), TinyModels.tiny(vocabulary), vocabulary, 3);
        long baseId = post("/api/v1/generations", """
                        {"name": "kill-test-base", "kind": "BASE", "checkpointUri": "%s",
                         "checkpointFormat": "HF_SAFETENSORS"}
                        """.formatted(baseModel.toUri()))
                .get("id")
                .asLong();
        long seedSet = upload(lines("IFT", 11, 40));
        JsonNode job = post("/api/v1/trainer/trainings", """
                {"kind": "SFT", "baseGenerationId": %d, "dataset": {"promptSetId": %d, "splits": ["IFT"]},
                 "hyperparameters": {"learningRate": 0.003, "minLearningRate": 0.0003, "epochs": 12, "batchSize": 8}}
                """.formatted(baseId, seedSet));
        long jobId = job.get("id").asLong();
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        JsonNode state = get("/api/v1/trainer/trainings/" + jobId);
        while (!List.of("SUCCEEDED", "FAILED").contains(state.get("status").asString())
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            state = get("/api/v1/trainer/trainings/" + jobId);
        }
        assertThat(state.get("status").asString()).as(state.toString()).isEqualTo("SUCCEEDED");
        m0 = state.get("outputGenerationId").asLong();
        prompts = upload(lines("ITERATION", 23, PROMPTS));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        restarts.shutdownNow();
        for (ServiceProcess process : processes.values()) {
            process.stop();
        }
    }

    @Test
    void aRunWhoseServicesAreKilledRepeatedlyEndsWithTheUndisturbedRunsPairs() throws Exception {
        long undisturbed = startRun("undisturbed");
        assertThat(awaitEnd(undisturbed, null))
                .as(
                        "the undisturbed run; trainer log:\n%s",
                        processes.get(Service.TRAINER).logTail(30))
                .isEqualTo("SUCCEEDED");

        long disturbed = startRun("killed");
        Chaos chaos = new Chaos(disturbed);
        Probes probes = new Probes(disturbed);
        Thread probing = new Thread(probes, "probes");
        probing.start();
        String status;
        try {
            status = awaitEnd(disturbed, chaos);
        } finally {
            probes.stop();
            probing.join();
        }
        for (ServiceProcess process : processes.values()) {
            process.awaitUp(START_TIMEOUT);
        }

        Figures before = Figures.of(undisturbed);
        Figures after = Figures.of(disturbed);
        String report = String.format(
                Locale.ROOT,
                "kill test: kills %s (on a held unit: %s), units claimed again %d, probes %d (5xx %d, refused %d, timed out %d),"
                        + " responses %d/%d stored (duplicates %d), judgments %d (undisturbed %d, duplicates %d), pairs %d vs %d"
                        + " undisturbed (differing %d), %.0f s",
                chaos.kills,
                chaos.killsOnHeldUnit,
                after.unitsClaimedAgain,
                probes.sent.get(),
                probes.serverErrors.get(),
                probes.refused.get(),
                probes.timedOut.get(),
                after.responses,
                PROMPTS * SAMPLES,
                after.responses - after.distinctResponses,
                after.judgments,
                before.judgments,
                after.judgments - after.distinctJudgments,
                after.pairs.size(),
                before.pairs.size(),
                differing(before.pairs, after.pairs),
                chaos.seconds());
        System.out.println(report);

        assertThat(status)
                .as(
                        "the killed run's status; generator log:\n%s\ntrainer log:\n%s",
                        processes.get(Service.GENERATOR).logTail(40),
                        processes.get(Service.TRAINER).logTail(40))
                .isEqualTo("SUCCEEDED");
        for (Service service : List.of(Service.GENERATOR, Service.JUDGE, Service.TRAINER, Service.GATEWAY)) {
            assertThat(chaos.kills.getOrDefault(service, 0))
                    .as(service + " kills; " + report)
                    .isGreaterThanOrEqualTo(2);
        }
        assertThat(chaos.killsOnHeldUnit.getOrDefault(Service.GENERATOR, 0))
                .as(report)
                .isPositive();
        assertThat(chaos.killsOnHeldUnit.getOrDefault(Service.TRAINER, 0))
                .as(report)
                .isPositive();
        assertThat(after.unitsClaimedAgain).as(report).isPositive();
        assertThat(before.pairs).as("the undisturbed run's pairs").isNotEmpty();
        assertThat(after.pairs).as(report).containsExactlyElementsOf(before.pairs);
        assertThat(after.responses).isEqualTo(after.distinctResponses).isEqualTo(PROMPTS * SAMPLES);
        // the oracle's grade does not vary, so it judges each response once whatever judgeSamples says
        assertThat(after.judgments).isEqualTo(after.distinctJudgments).isEqualTo(before.judgments);
        assertThat(after.judgments).isGreaterThanOrEqualTo(after.responses);
        assertThat(after.trainingJobs).as("DPO jobs of the killed run").isEqualTo(1);
        assertThat(after.readyGenerations).as("generations the killed run made").isEqualTo(1);
        assertThat(probes.serverErrors.get()).as(probes.lastServerError).isZero();
    }

    /** Kills services as the run goes, by the rules in the class comment, and starts each again at once. */
    static final class Chaos {

        final long runId;
        final Map<Service, Integer> kills = new EnumMap<>(Service.class);
        final Map<Service, Integer> killsOnHeldUnit = new EnumMap<>(Service.class);
        final long startedAt = System.nanoTime();
        private String phaseAtLastGatewayKill = "";
        private int trainingStepAtLastKill = -1;

        Chaos(long runId) {
            this.runId = runId;
        }

        double seconds() {
            return (System.nanoTime() - startedAt) / 1e9;
        }

        void look(Connection connection) throws Exception {
            String phase = phase(connection);
            if (phase == null) {
                return;
            }
            // once in each phase, as soon as the gateway is up in it (it may have entered the phase while restarting)
            if (List.of("GENERATING", "JUDGING", "PAIRING", "TRAINING").contains(phase)
                    && !phase.equals(phaseAtLastGatewayKill)
                    && kill(Service.GATEWAY, false, 3)) {
                phaseAtLastGatewayKill = phase;
            }
            Held generating = held(connection, "GENERATE", Service.GENERATOR);
            if (generating.byThisProcess && generating.maxAttempts == 1) {
                kill(Service.GENERATOR, true, 3);
            }
            Held judging = held(connection, "JUDGE", Service.JUDGE);
            if (phase.equals("JUDGING") && judging.maxAttempts <= 1) {
                kill(Service.JUDGE, judging.byThisProcess, 3);
            } else if (List.of("PAIRING", "TRAINING").contains(phase) && kills.getOrDefault(Service.JUDGE, 0) < 2) {
                // a judge that drained its units before it could be killed again is still killed twice: idle
                kill(Service.JUDGE, false, 2);
            }
            Held training = held(connection, "TRAIN", Service.TRAINER);
            int step = trainingStep(connection);
            // a training checkpoint is written every 5 steps: kill once the attempt has passed one
            if (training.byThisProcess && training.maxAttempts <= 2 && step >= 6 && step > trainingStepAtLastKill + 5) {
                if (kill(Service.TRAINER, true, 2)) {
                    trainingStepAtLastKill = step;
                }
            }
        }

        private boolean kill(Service service, boolean onHeldUnit, int atMost) throws Exception {
            ServiceProcess process = processes.get(service);
            if (!process.isUp() || kills.getOrDefault(service, 0) >= atMost) {
                return false;
            }
            process.kill();
            kills.merge(service, 1, Integer::sum);
            if (onHeldUnit) {
                killsOnHeldUnit.merge(service, 1, Integer::sum);
            }
            process.start();
            restarts.submit(() -> {
                process.awaitUp(START_TIMEOUT);
                return null;
            });
            return true;
        }

        private String phase(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select phase from iteration where run_id = ? and iteration_index = 0")) {
                statement.setLong(1, runId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            }
        }

        /** The run's units of a stage that are running: their most attempts, and whether the live process has one. */
        private Held held(Connection connection, String stage, Service service) throws SQLException {
            String owner = stage.toLowerCase(Locale.ROOT) + "@"
                    + processes.get(service).pid() + "@%";
            try (PreparedStatement statement = connection.prepareStatement("""
                    select coalesce(max(w.attempts), 0), coalesce(bool_or(w.lease_owner like ?), false)
                    from work_unit w join iteration i on i.id = w.iteration_id
                    where i.run_id = ? and w.stage = ? and w.status = 'RUNNING'
                    """)) {
                statement.setString(1, owner);
                statement.setLong(2, runId);
                statement.setString(3, stage);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return new Held(rows.getInt(1), rows.getBoolean(2));
                }
            }
        }

        private int trainingStep(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select coalesce(max(step), 0) from training_job where run_id = ? and status = 'RUNNING'")) {
                statement.setLong(1, runId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        }

        record Held(int maxAttempts, boolean byThisProcess) {}
    }

    /** Asks the gateway about the run every 100 ms, counting what comes back. */
    static final class Probes implements Runnable {

        final long runId;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger timedOut = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        volatile String lastServerError = "";

        Probes(long runId) {
            this.runId = runId;
        }

        @Override
        public void run() {
            List<String> paths = List.of("/api/v1/runs/" + runId, "/api/v1/runs", "/api/v1/generations/" + m0);
            int next = 0;
            while (running.get()) {
                String path = paths.get(next++ % paths.size());
                sent.incrementAndGet();
                try {
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(gateway(path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() >= 500) {
                        serverErrors.incrementAndGet();
                        lastServerError = path + " -> " + response.statusCode() + " " + response.body();
                    }
                    Thread.sleep(100);
                } catch (java.net.http.HttpTimeoutException e) {
                    // a gateway that hangs rather than dies: counted apart from refusals
                    timedOut.incrementAndGet();
                    sleep();
                } catch (java.io.IOException e) {
                    // the gateway is down: nothing answered, which is not an error it made
                    refused.incrementAndGet();
                    sleep();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sleep() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() {
            running.set(false);
        }
    }

    /** What a run stored, read from the database. */
    record Figures(
            List<String> pairs,
            long responses,
            long distinctResponses,
            long judgments,
            long distinctJudgments,
            long unitsClaimedAgain,
            long trainingJobs,
            long readyGenerations) {

        static Figures of(long runId) throws SQLException {
            try (Connection connection = connect()) {
                List<String> pairs = new ArrayList<>();
                try (PreparedStatement statement = connection.prepareStatement("""
                        select pp.dataset, p.position, p.text, c.sample_index, c.text, r.sample_index, r.text,
                               pp.chosen_score, pp.rejected_score, pp.chosen_source, pp.rejected_source
                        from preference_pair pp
                          join iteration i on i.id = pp.iteration_id
                          join prompt p on p.id = pp.prompt_id
                          join response c on c.id = pp.chosen_response_id
                          join response r on r.id = pp.rejected_response_id
                        where i.run_id = ?
                        order by pp.dataset, p.position
                        """)) {
                    statement.setLong(1, runId);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            StringBuilder pair = new StringBuilder();
                            for (int column = 1; column <= 11; column++) {
                                pair.append(column > 1 ? " | " : "").append(rows.getString(column));
                            }
                            pairs.add(pair.toString());
                        }
                    }
                }
                long[] responses = counts(connection, runId, """
                        select count(*), count(distinct (r.prompt_id, r.generation_id, r.purpose, r.sample_index))
                        from response r join iteration i on i.id = r.iteration_id where i.run_id = ?
                        """);
                long[] judgments = counts(connection, runId, """
                        select count(*), count(distinct (j.response_id, j.judge_generation_id, j.sample_index))
                        from judgment j join response r on r.id = j.response_id
                          join iteration i on i.id = r.iteration_id where i.run_id = ?
                        """);
                long[] units = counts(connection, runId, """
                        select count(*) filter (where w.attempts > 1), count(*)
                        from work_unit w join iteration i on i.id = w.iteration_id where i.run_id = ?
                        """);
                long[] training = counts(connection, runId, """
                        select count(*), count(*) from training_job where run_id = ?
                        """);
                long[] generations = counts(connection, runId, """
                        select count(*), count(*) from model_generation g
                          join iteration i on i.next_generation_id = g.id
                        where i.run_id = ? and g.status = 'READY'
                        """);
                return new Figures(
                        pairs,
                        responses[0],
                        responses[1],
                        judgments[0],
                        judgments[1],
                        units[0],
                        training[0],
                        generations[0]);
            }
        }

        private static long[] counts(Connection connection, long runId, String sql) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, runId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return new long[] {rows.getLong(1), rows.getLong(2)};
                }
            }
        }
    }

    private static long differing(List<String> before, List<String> after) {
        List<String> missing = new ArrayList<>(before);
        missing.removeAll(after);
        List<String> extra = new ArrayList<>(after);
        extra.removeAll(before);
        return missing.size() + extra.size();
    }

    /** Waits for the run to end, letting the chaos act as it goes; the run's status is read from the store. */
    private static String awaitEnd(long runId, Chaos chaos) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        try (Connection connection = connect();
                PreparedStatement statement =
                        connection.prepareStatement("select status, failure_reason from run where id = ?")) {
            statement.setLong(1, runId);
            while (System.nanoTime() < deadline) {
                String status;
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    status = rows.getString(1);
                    if (status.equals("FAILED")) {
                        // the reason, for the assertion's message
                        return status + ": " + rows.getString(2);
                    }
                }
                if (!status.equals("RUNNING") && !status.equals("PENDING")) {
                    return status;
                }
                if (chaos != null) {
                    chaos.look(connection);
                }
                Thread.sleep(25);
            }
        }
        return "still running after " + RUN_TIMEOUT;
    }

    private static long startRun(String name) throws Exception {
        return post("/api/v1/runs", """
                        {"name": "kill test %s", "method": "SR", "initialGenerationId": %d, "promptSetId": %d,
                         "iterations": 1, "samplesPerPrompt": %d, "judgeSamples": %d,
                         "promptsPerUnit": 4, "responsesPerUnit": 16,
                         "sampling": {"temperature": 1.0, "topP": 1.0, "maxTokens": 8, "seed": 7},
                         "judge": {"role": "ORACLE"},
                         "dpo": {"learningRate": 0.0001, "epochs": 6, "batchSize": 2, "checkpointEvery": 5},
                         "evaluation": {"enabled": false}}
                        """.formatted(name, m0, prompts, SAMPLES, JUDGE_SAMPLES))
                .get("id")
                .asLong();
    }

    /** The built-in suite's reversal tasks, which the oracle grades with partial credit. */
    private static List<String> lines(String split, long seed, int count) {
        Random random = new Random(seed);
        TaskFamily reverse = Oracle.family("reverse").orElseThrow();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Task task = reverse.sample(random);
            lines.add(json.writeValueAsString(Map.of(
                    "prompt", task.prompt(), "split", split, "reference", task.reference(), "family", "reverse")));
        }
        return lines;
    }

    private static long upload(List<String> lines) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(gateway("/api/v1/prompt-sets?name=kill-" + UUID.randomUUID()))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asLong();
    }

    private static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(gateway(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
        return json.readTree(response.body());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(gateway(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static URI gateway(String path) {
        return URI.create("http://127.0.0.1:" + processes.get(Service.GATEWAY).port() + path);
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.url(), db.user(), db.password());
    }
}
