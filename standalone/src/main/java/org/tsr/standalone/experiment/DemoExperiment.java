package org.tsr.standalone.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.standalone.console.ProgressView;
import org.tsr.standalone.console.UserError;
import org.tsr.standalone.local.GatewayClient;
import org.tsr.standalone.local.LocalPlatform;
import org.tsr.standalone.report.ExperimentReport;
import org.tsr.standalone.report.SeedRuns;
import org.tsr.tasks.JudgeFormat;
import org.tsr.tasks.Oracle;
import org.tsr.tasks.SuiteExport;
import org.tsr.tasks.SuitePrompt;
import org.tsr.tasks.SuiteSpec;
import org.tsr.tasks.TaskSuite;
import tools.jackson.databind.JsonNode;

/**
 * The default experiment, driven through the gateway's REST API like any client would: per seed, register a freshly
 * initialised base model, upload the suite, fine-tune M0 through the trainer's route, start one run per method from
 * that M0, follow them to the end, and fetch their reports; then write the experiment report.
 */
public final class DemoExperiment {

    private static final Duration POLL = Duration.ofSeconds(1);
    /** Sampling temperature of every run; the SR paper's 0.7. */
    private static final double SAMPLING_TEMPERATURE = 0.7;

    private final DemoSettings settings;
    private final PrintWriter out;
    private final ProgressView progress;

    public DemoExperiment(DemoSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
        this.progress = new ProgressView(out, System.console() != null);
    }

    public void run() {
        Instant started = Instant.now();
        Path folder = settings.out().toAbsolutePath().normalize();
        LocalPlatform.preflight(folder, settings.port());
        out.println("Output folder: " + folder);
        try (LocalPlatform.Running platform = LocalPlatform.start(
                folder,
                settings.port(),
                settings.dbUrl(),
                settings.dbUser(),
                settings.dbPassword(),
                settings.trainer(),
                out,
                started)) {
            GatewayClient api = platform.api();
            List<SeedRuns> results = new ArrayList<>();
            for (int i = 0; i < settings.seeds(); i++) {
                results.add(runSeed(api, folder, settings.firstSeed() + i));
            }
            Duration took = Duration.between(started, Instant.now());
            Path report = ExperimentReport.write(folder, describe(), results, took);
            out.println();
            out.println(ExperimentReport.summaryTable(results));
            out.println("Finished in " + ProgressView.clock(took) + ". Report: " + report);
            List<String> failed =
                    results.stream().flatMap(seed -> seed.failures().stream()).toList();
            if (!failed.isEmpty()) {
                throw new UserError("some runs failed: " + String.join("; ", failed));
            }
        }
    }

    private SeedRuns runSeed(GatewayClient api, Path folder, long seed) {
        out.println();
        out.println("Seed " + seed + ":");
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        String size = settings.model().name().toLowerCase(Locale.ROOT);
        Path base = folder.resolve("models").resolve(size + "-base-seed-" + seed);
        if (!Files.isRegularFile(base.resolve("config.json"))) {
            TinyModels.create(base, settings.model().config(vocabulary), vocabulary, seed);
        }
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        long baseId = api.registerBaseModel(size + "-base-seed-" + seed + "-" + stamp, base);
        List<SuitePrompt> suite = TaskSuite.generate(new SuiteSpec(
                seed,
                Oracle.familyNames(),
                settings.iftPerFamily(),
                settings.eftPerFamily(),
                settings.chunks(),
                settings.promptsPerFamily(),
                settings.evalPerFamily()));
        String lines = SuiteExport.toJsonLines(suite);
        write(folder.resolve("suite-seed-" + seed + ".jsonl"), lines);
        long promptSet = api.post(
                        "/api/v1/prompt-sets?name=demo-suite-seed-" + seed + "-" + stamp, lines, "application/x-ndjson")
                .get("id")
                .asLong();
        out.println("  suite: " + suite.size() + " prompts uploaded as prompt set " + promptSet);

        Instant sftStart = Instant.now();
        long m0 = SftThroughGateway.train(
                api, progress, baseId, promptSet, settings.sftEpochs(), seed, "M0 (SFT on IFT+EFT)");
        double sftSeconds = Duration.between(sftStart, Instant.now()).toMillis() / 1000.0;

        Map<String, Map<String, Object>> planned = new LinkedHashMap<>();
        Map<String, String> judges = new LinkedHashMap<>();
        for (DemoSettings.Judge judge : settings.judges()) {
            for (DemoSettings.Method method : settings.methods()) {
                planned.put(judge.label(method), runRequest(method, judge, m0, promptSet, seed, stamp));
                judges.put(judge.label(method), judge.label());
            }
        }
        Map<String, Long> runs = runOneAfterAnother(api, planned);

        Map<String, JsonNode> reports = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Long> run : runs.entrySet()) {
            JsonNode report = api.get("/api/v1/runs/" + run.getValue() + "/report");
            reports.put(run.getKey(), report);
            String file =
                    run.getKey().replace(", ", "-").replace(' ', '-').replace(':', '-') + "-seed-" + seed + ".json";
            write(folder.resolve("reports").resolve(file), report.toPrettyString());
            if (!report.get("status").asString().equals("SUCCEEDED")) {
                failures.add(run.getKey() + " (seed " + seed + ") "
                        + report.get("status").asString() + ": "
                        + report.get("failureReason").asString(""));
            }
        }
        return new SeedRuns(seed, m0, sftSeconds, reports, judges, failures);
    }

    private Map<String, Object> runRequest(
            DemoSettings.Method method, DemoSettings.Judge judge, long m0, long promptSet, long seed, String stamp) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", judge.label(method) + " seed " + seed + " " + stamp);
        request.put("method", method.name());
        request.put("initialGenerationId", m0);
        request.put("promptSetId", promptSet);
        request.put("iterations", settings.iterations(method));
        request.put("samplesPerPrompt", settings.samples());
        request.put("judgeSamples", settings.judgeSamples());
        request.put(
                "sampling", Map.of("temperature", SAMPLING_TEMPERATURE, "topP", 1.0, "maxTokens", 12, "seed", seed));
        Map<String, Object> judging =
                new LinkedHashMap<>(Map.of("temperature", 1.0, "maxTokens", 32, "template", JudgeFormat.TEMPLATE));
        switch (judge.kind()) {
            case SELF -> judging.put("role", "SELF");
            case FROZEN -> {
                judging.put("role", "FIXED");
                judging.put("generationId", m0);
            }
            case ORACLE -> judging.put("role", "ORACLE");
            case NOISY -> {
                judging.put("role", "NOISY_ORACLE");
                judging.put("accuracy", judge.accuracy());
            }
        }
        if (judge.expectedScore()) {
            judging.put("expectedScore", true);
        }
        request.put("judge", judging);
        // DPO with an NLL term on the chosen response (RPO): without it DPO lowers the chosen response's likelihood
        // too (see docs/experiment.md), and the greedy answer rarely becomes the chosen one
        request.put(
                "dpo",
                Map.of(
                        "learningRate",
                        3e-4,
                        "minLearningRate",
                        3e-5,
                        "beta",
                        0.1,
                        "rpoAlpha",
                        settings.nllWeight(),
                        "epochs",
                        4,
                        "batchSize",
                        16,
                        "seed",
                        seed));
        request.put("evaluation", Map.of("enabled", true, "maxTokens", 12));
        return request;
    }

    /**
     * Starts the runs one after another, each when the one before has ended, so that each run's phase times are its
     * own and not shared with another's work; shows every run's progress until the last has ended.
     */
    private Map<String, Long> runOneAfterAnother(GatewayClient api, Map<String, Map<String, Object>> planned) {
        Instant start = Instant.now();
        Map<String, Long> started = new LinkedHashMap<>();
        Iterator<Map.Entry<String, Map<String, Object>>> next =
                planned.entrySet().iterator();
        while (true) {
            List<RunProgress> states = new ArrayList<>();
            boolean busy = false;
            for (String label : planned.keySet()) {
                Long id = started.get(label);
                RunProgress state =
                        id == null ? RunProgress.waiting(label) : RunProgress.of(label, api.get("/api/v1/runs/" + id));
                busy |= id != null && !state.finished();
                states.add(state);
            }
            if (!busy && next.hasNext()) {
                Map.Entry<String, Map<String, Object>> run = next.next();
                started.put(
                        run.getKey(),
                        api.post("/api/v1/runs", run.getValue()).get("id").asLong());
                continue;
            }
            double fraction =
                    states.stream().mapToDouble(RunProgress::fraction).average().orElse(0);
            List<String> lines = new ArrayList<>();
            StringBuilder content = new StringBuilder();
            for (RunProgress state : states) {
                lines.add("  " + state.line());
                content.append(state.label()).append(state.iteration()).append(state.phase());
            }
            Duration elapsed = Duration.between(start, Instant.now());
            String remaining = fraction < 0.02
                    ? "estimating"
                    : "~"
                            + ProgressView.clock(
                                    Duration.ofMillis((long) (elapsed.toMillis() * (1 - fraction) / fraction)));
            lines.add("  elapsed " + ProgressView.clock(elapsed) + "   remaining " + remaining);
            progress.show(lines, content.toString());
            if (!busy) {
                progress.done();
                return started;
            }
            sleep();
        }
    }

    private String describe() {
        return "methods " + settings.methods() + ", judges "
                + settings.judges().stream().map(DemoSettings.Judge::label).toList() + ", SR " + settings.srIterations()
                + " iterations, TSR "
                + settings.tsrIterations() + " iterations, " + settings.seeds() + " seed(s) from "
                + settings.firstSeed()
                + ", model " + settings.model().name().toLowerCase(Locale.ROOT) + ", K " + settings.samples() + ", "
                + settings.promptsPerFamily() + " prompts per family per iteration, " + settings.evalPerFamily()
                + " held-out prompts per family, " + settings.iftPerFamily() + " IFT and " + settings.eftPerFamily()
                + " EFT examples per family, " + settings.sftEpochs() + " SFT epochs, " + settings.judgeSamples()
                + " judge samples per response, sampling at temperature " + SAMPLING_TEMPERATURE + ", DPO at learning"
                + " rate 3e-4 decaying to 3e-5, beta 0.1, NLL weight " + settings.nllWeight()
                + ", 4 epochs of 16 pairs";
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
