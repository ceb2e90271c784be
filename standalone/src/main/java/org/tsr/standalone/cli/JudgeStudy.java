package org.tsr.standalone.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.standalone.report.JudgeStudyReport;
import org.tsr.tasks.Grade;
import org.tsr.tasks.JudgeFormat;
import org.tsr.tasks.Oracle;
import org.tsr.tasks.SuiteExport;
import org.tsr.tasks.SuitePrompt;
import org.tsr.tasks.SuiteSpec;
import org.tsr.tasks.TaskSuite;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The judge study, driven through the gateway's REST API: per model size, EFT budget and recipe, fine-tune a fresh
 * base model into M0 (trainer route), sample K responses per held-out prompt from M0 (generator route), judge each
 * with M0 (judge route), grade each with the oracle, and measure how often the judge orders pairs like the oracle.
 */
final class JudgeStudy {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration POLL = Duration.ofSeconds(1);
    /** Held-out prompts per generation request, and responses per judgment request: short calls, steady progress. */
    private static final int PROMPTS_PER_CALL = 16;

    private static final int ITEMS_PER_CALL = 64;
    private static final int MAX_ANSWER_TOKENS = 12;
    private static final int MAX_JUDGMENT_TOKENS = 32;
    private static final String STUDY_FILE = "study.json";

    private final JudgeStudySettings settings;
    private final PrintWriter out;
    private final ProgressView progress;

    JudgeStudy(JudgeStudySettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
        this.progress = new ProgressView(out, System.console() != null);
    }

    void run() {
        Instant started = Instant.now();
        Path folder = settings.out().toAbsolutePath().normalize();
        LocalPlatform.preflight(folder, settings.port());
        List<JudgeStudyReport.Point> earlier = earlierPoints(folder);
        out.println("Output folder: " + folder);
        if (settings.sizes().stream()
                .allMatch(size -> settings.eftBudgets().stream()
                        .allMatch(budget -> missing(earlier, size, budget).isEmpty()))) {
            Path report = JudgeStudyReport.write(folder, describe(), earlier, Duration.between(started, Instant.now()));
            out.println("Every point was measured earlier in this folder; report and chart written again: " + report);
            out.println(JudgeStudyReport.verdict(earlier));
            return;
        }
        try (LocalPlatform.Running platform = LocalPlatform.start(
                folder, settings.port(), settings.dbUrl(), settings.dbUser(), settings.dbPassword(), out, started)) {
            GatewayClient api = platform.api();
            List<JudgeStudyReport.Point> points = new ArrayList<>(earlier);
            if (!earlier.isEmpty()) {
                out.println("Keeping the " + earlier.size() + " point(s) measured earlier in this folder with the"
                        + " same settings; they are not measured again");
            }
            // budget by budget, every size at each, so that a study stopped early has compared the sizes
            Map<ModelSize, Long> bases = new EnumMap<>(ModelSize.class);
            int index = 0;
            int total = settings.eftBudgets().size() * settings.sizes().size();
            for (int budget : settings.eftBudgets()) {
                for (ModelSize size : settings.sizes()) {
                    index++;
                    String name = size.name().toLowerCase(Locale.ROOT);
                    List<JudgeStudySettings.Recipe> missing = missing(earlier, size, budget);
                    out.println();
                    out.println(String.format(
                            Locale.ROOT,
                            "Point %d of %d: %s, %d EFT examples per family%s",
                            index,
                            total,
                            name,
                            budget,
                            missing.isEmpty() ? ": measured earlier in this folder, kept" : ""));
                    if (missing.isEmpty()) {
                        continue;
                    }
                    long baseId = bases.computeIfAbsent(size, s -> registerBase(api, folder, s));
                    points.addAll(measure(api, folder, size, baseId, budget, missing));
                    points = new ArrayList<>(JudgeStudyReport.ordered(points));
                    // the figures so far, so that a study stopped early still leaves its table
                    JudgeStudyReport.write(folder, describe(), points, Duration.between(started, Instant.now()));
                    write(folder.resolve(STUDY_FILE), JSON.writeValueAsString(new Saved(fixedSettings(), points)));
                }
            }
            Duration took = Duration.between(started, Instant.now());
            Path report = JudgeStudyReport.write(folder, describe(), points, took);
            out.println();
            out.println(JudgeStudyReport.table(points));
            out.println(JudgeStudyReport.verdict(points));
            out.println("Finished in " + ProgressView.clock(took) + ". Report: " + report);
        }
    }

    /** The recipes of the grid not yet measured for this size and budget. */
    private List<JudgeStudySettings.Recipe> missing(List<JudgeStudyReport.Point> earlier, ModelSize size, int budget) {
        String name = size.name().toLowerCase(Locale.ROOT);
        return settings.recipes().stream()
                .filter(recipe -> earlier.stream()
                        .noneMatch(p -> p.size().equals(name)
                                && p.eftPerFamily() == budget
                                && p.recipe().equals(recipe.name().toLowerCase(Locale.ROOT))))
                .toList();
    }

    /** The points a study with the same fixed settings measured in this folder: kept, not measured again. */
    private List<JudgeStudyReport.Point> earlierPoints(Path folder) {
        Path file = folder.resolve(STUDY_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Saved saved;
        try {
            saved = JSON.readValue(file.toFile(), Saved.class);
        } catch (RuntimeException e) {
            throw new UserError("cannot read " + file + " (" + e.getMessage() + "); use another --out");
        }
        if (!fixedSettings().equals(saved.settings())) {
            throw new UserError("the output folder holds a study with other settings (" + saved.settings()
                    + "); use another --out to measure with these");
        }
        return saved.points();
    }

    /** What a folder's points were measured with, beside the grid ({@code study.json}). */
    record Saved(String settings, List<JudgeStudyReport.Point> points) {}

    private long registerBase(GatewayClient api, Path folder, ModelSize size) {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        String name = size.name().toLowerCase(Locale.ROOT) + "-seed-" + settings.seed();
        Path base = folder.resolve("models").resolve("base-" + name);
        if (!Files.isRegularFile(base.resolve("config.json"))) {
            TinyModels.create(base, size.config(vocabulary), vocabulary, settings.seed());
        }
        return api.post(
                        "/api/v1/generations",
                        Map.of(
                                "name",
                                "judge-study-" + name + "-" + stamp(),
                                "kind",
                                "BASE",
                                "checkpointUri",
                                base.toString(),
                                "checkpointFormat",
                                "HF_SAFETENSORS"))
                .get("id")
                .asLong();
    }

    /** One M0 per size and budget; each of the recipes is measured from it. */
    private List<JudgeStudyReport.Point> measure(
            GatewayClient api,
            Path folder,
            ModelSize size,
            long baseId,
            int budget,
            List<JudgeStudySettings.Recipe> recipes) {
        String label = size.name().toLowerCase(Locale.ROOT) + "-eft-" + budget;
        Instant start = Instant.now();
        SuiteSpec spec = new SuiteSpec(
                settings.seed(), settings.families(), settings.iftPerFamily(), budget, 1, 1, settings.evalPerFamily());
        List<SuitePrompt> suite = TaskSuite.generate(spec);
        long promptSet = upload(api, folder, label + "-suite", suite);
        long m0 = train(api, baseId, promptSet, settings.sftEpochs(), "M0 (SFT on IFT+EFT)");
        List<SuitePrompt> heldOut =
                suite.stream().filter(p -> p.split().equals("EVAL")).toList();
        List<JudgeStudyReport.Point> points = new ArrayList<>();
        // an OWN point's time is its M0's and its own, without the SUITE point's sampling and judging
        Instant ownStart = start;
        if (recipes.contains(JudgeStudySettings.Recipe.SUITE)) {
            Instant judging = Instant.now();
            points.add(judgeOwnSamples(api, folder, size, budget, JudgeStudySettings.Recipe.SUITE, m0, heldOut, start));
            ownStart = start.plus(Duration.between(judging, Instant.now()));
        }
        if (recipes.contains(JudgeStudySettings.Recipe.OWN)) {
            long own = trainOnOwnSamples(api, folder, label, m0, spec, suite);
            points.add(
                    judgeOwnSamples(api, folder, size, budget, JudgeStudySettings.Recipe.OWN, own, heldOut, ownStart));
        }
        return points;
    }

    /**
     * The OWN recipe: M0 answers {@code budget} fresh prompts per family K times, the oracle grades every answer, and
     * M0 is fine-tuned for one more epoch on those judgments (in the suite's judge format) and the IFT examples. The
     * fresh prompts are the IFT prompts a suite with {@code budget} more IFT examples per family would add, so they
     * are disjoint from the held-out prompts.
     */
    private long trainOnOwnSamples(
            GatewayClient api, Path folder, String label, long m0, SuiteSpec spec, List<SuitePrompt> suite) {
        int ift = spec.iftPerFamily();
        SuiteSpec wider = new SuiteSpec(
                spec.seed(),
                spec.families(),
                ift + spec.eftPerFamily(),
                0,
                spec.chunks(),
                spec.chunkPerFamily(),
                spec.evalPerFamily());
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<SuitePrompt> fresh = new ArrayList<>();
        for (SuitePrompt prompt : TaskSuite.generate(wider)) {
            if (prompt.split().equals("IFT") && seen.merge(prompt.family(), 1, Integer::sum) > ift) {
                fresh.add(prompt);
            }
        }
        List<SuitePrompt> data = new ArrayList<>(
                suite.stream().filter(p -> p.split().equals("IFT")).toList());
        List<List<String>> answers = sample(api, m0, fresh, "  M0 answers the EFT prompts");
        for (int p = 0; p < fresh.size(); p++) {
            SuitePrompt prompt = fresh.get(p);
            for (String answer : answers.get(p)) {
                Grade grade = Oracle.grade(prompt.family(), prompt.prompt(), prompt.reference(), answer);
                data.add(new SuitePrompt(
                        JudgeFormat.render(prompt.prompt(), answer), "EFT", null, grade.judgment(), prompt.family()));
            }
        }
        long promptSet = upload(api, folder, label + "-own", data);
        return train(api, m0, promptSet, 1, "M0 + EFT on its own samples");
    }

    private JudgeStudyReport.Point judgeOwnSamples(
            GatewayClient api,
            Path folder,
            ModelSize size,
            int budget,
            JudgeStudySettings.Recipe recipe,
            long judge,
            List<SuitePrompt> heldOut,
            Instant start) {
        List<List<String>> answers = sample(api, judge, heldOut, "  samples of the held-out prompts");
        List<JudgeStudyReport.Sample> samples = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int p = 0; p < heldOut.size(); p++) {
            for (String answer : answers.get(p)) {
                items.add(Map.of("prompt", heldOut.get(p).prompt(), "response", answer));
            }
        }
        List<JsonNode> judged = judge(api, judge, items);
        StringBuilder lines = new StringBuilder();
        int item = 0;
        for (int p = 0; p < heldOut.size(); p++) {
            SuitePrompt prompt = heldOut.get(p);
            for (String answer : answers.get(p)) {
                JsonNode result = judged.get(item++);
                Double mean = result.get("meanScore").isNull()
                        ? null
                        : result.get("meanScore").asDouble();
                int grade = Oracle.grade(prompt.family(), prompt.prompt(), prompt.reference(), answer)
                        .score();
                samples.add(new JudgeStudyReport.Sample(prompt.family(), prompt.prompt(), answer, mean, grade));
                List<String> texts = new ArrayList<>();
                result.get("judgments").forEach(j -> texts.add(j.get("text").asString()));
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("family", prompt.family());
                line.put("prompt", prompt.prompt());
                line.put("response", answer);
                line.put("oracle", grade);
                line.put("judge", mean);
                line.put("judgments", texts);
                lines.append(JSON.writeValueAsString(line)).append('\n');
            }
        }
        String name = size.name().toLowerCase(Locale.ROOT) + "-eft-" + budget + "-"
                + recipe.name().toLowerCase(Locale.ROOT);
        write(folder.resolve("samples").resolve(name + ".jsonl"), lines.toString());
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        JudgeStudyReport.Point point = JudgeStudyReport.point(
                size.name().toLowerCase(Locale.ROOT), budget, recipe.name().toLowerCase(Locale.ROOT), samples, seconds);
        out.println(String.format(
                Locale.ROOT,
                "  %s: agreement %.3f over %d pairs (%s), %d of %d responses judged, mean oracle %.2f, %s",
                recipe.name().toLowerCase(Locale.ROOT),
                point.overall().agreement(),
                point.overall().pairs(),
                perFamily(point),
                point.judged(),
                point.responses(),
                point.meanOracle(),
                ProgressView.clock(Duration.ofMillis((long) (seconds * 1000)))));
        return point;
    }

    /** K samples per prompt at temperature 1.0 through the generator's route. */
    private List<List<String>> sample(GatewayClient api, long generation, List<SuitePrompt> prompts, String what) {
        List<List<String>> answers = new ArrayList<>();
        Instant start = Instant.now();
        for (int from = 0; from < prompts.size(); from += PROMPTS_PER_CALL) {
            List<String> texts = prompts.subList(from, Math.min(prompts.size(), from + PROMPTS_PER_CALL)).stream()
                    .map(SuitePrompt::prompt)
                    .toList();
            Map<String, Object> sampling = Map.of(
                    "n",
                    settings.samples(),
                    "temperature",
                    1.0,
                    "topP",
                    1.0,
                    "maxTokens",
                    MAX_ANSWER_TOKENS,
                    "seed",
                    settings.seed() + from);
            JsonNode response = api.post(
                    "/api/v1/generator/completions",
                    Map.of("generationId", generation, "prompts", texts, "chat", true, "sampling", sampling));
            for (JsonNode prompt : response.get("results")) {
                List<String> samples = new ArrayList<>();
                prompt.get("samples").forEach(s -> samples.add(s.get("text").asString()));
                answers.add(samples);
            }
            show(what, answers.size(), prompts.size(), start);
        }
        progress.done();
        return answers;
    }

    /** Every item judged by the generation in the suite's template through the judge's route, in order. */
    private List<JsonNode> judge(GatewayClient api, long judge, List<Map<String, Object>> items) {
        List<JsonNode> results = new ArrayList<>();
        Instant start = Instant.now();
        for (int from = 0; from < items.size(); from += ITEMS_PER_CALL) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("judgeGenerationId", judge);
            request.put("items", items.subList(from, Math.min(items.size(), from + ITEMS_PER_CALL)));
            request.put("samples", settings.judgeSamples());
            request.put("temperature", 1.0);
            request.put("maxTokens", MAX_JUDGMENT_TOKENS);
            request.put("seed", settings.seed() + from);
            request.put("template", JudgeFormat.TEMPLATE);
            api.post("/api/v1/judge/judgments", request).get("results").forEach(results::add);
            show("  M0 judges its samples", results.size(), items.size(), start);
        }
        progress.done();
        return results;
    }

    private long upload(GatewayClient api, Path folder, String name, List<SuitePrompt> prompts) {
        String lines = SuiteExport.toJsonLines(prompts);
        write(folder.resolve("suites").resolve(name + ".jsonl"), lines);
        return api.post("/api/v1/prompt-sets?name=judge-study-" + name + "-" + stamp(), lines, "application/x-ndjson")
                .get("id")
                .asLong();
    }

    /** SFT on a prompt set's IFT and EFT examples through the trainer's route, the demo's hyperparameters. */
    private long train(GatewayClient api, long baseId, long promptSet, int epochs, String what) {
        return SftThroughGateway.train(api, progress, baseId, promptSet, epochs, settings.seed(), what);
    }

    private void show(String what, int done, int total, Instant since) {
        SftThroughGateway.show(progress, what, done, total, since);
    }

    private static String perFamily(JudgeStudyReport.Point point) {
        List<String> parts = new ArrayList<>();
        point.families()
                .forEach((family, result) -> parts.add(
                        String.format(Locale.ROOT, "%s %.3f/%d", family, result.agreement(), result.pairs())));
        return String.join(", ", parts);
    }

    private String describe() {
        return "this invocation's grid: sizes "
                + settings.sizes().stream()
                        .map(s -> s.name().toLowerCase(Locale.ROOT))
                        .toList()
                + ", EFT examples per family " + settings.eftBudgets() + ", recipes "
                + settings.recipes().stream()
                        .map(r -> r.name().toLowerCase(Locale.ROOT))
                        .toList()
                + "; " + fixedSettings();
    }

    /** Everything but the grid: points measured with the same fixed settings can share a report. */
    private String fixedSettings() {
        return "families " + settings.families() + ", " + settings.iftPerFamily() + " IFT examples per family, "
                + settings.sftEpochs() + " SFT epochs (lr 3e-3 cosine to 3e-4, batch 16), "
                + settings.evalPerFamily() + " held-out prompts per family, K " + settings.samples()
                + " samples per prompt at temperature 1.0 (max " + MAX_ANSWER_TOKENS + " tokens), "
                + settings.judgeSamples() + " judgments per response at temperature 1.0 (mean score, template '"
                + JudgeFormat.TEMPLATE + "'), seed " + settings.seed();
    }

    private static String stamp() {
        return Long.toString(System.currentTimeMillis(), 36);
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
