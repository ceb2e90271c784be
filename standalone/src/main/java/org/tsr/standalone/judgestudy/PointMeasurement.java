package org.tsr.standalone.judgestudy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.standalone.console.ProgressView;
import org.tsr.standalone.experiment.ModelSize;
import org.tsr.standalone.experiment.SftThroughGateway;
import org.tsr.standalone.local.GatewayClient;
import org.tsr.tasks.Grade;
import org.tsr.tasks.JudgeFormat;
import org.tsr.tasks.Oracle;
import org.tsr.tasks.SuiteExport;
import org.tsr.tasks.SuitePrompt;
import org.tsr.tasks.SuiteSpec;
import org.tsr.tasks.TaskSuite;
import tools.jackson.databind.JsonNode;

/**
 * Measures the judge study's grid points through the gateway's REST API: fine-tunes a fresh base model into M0
 * (trainer route), samples K responses per held-out prompt from M0 (generator route), judges each with M0 (judge
 * route), grades each with the oracle, and measures how often the judge orders pairs like the oracle.
 */
final class PointMeasurement {

    /** Held-out prompts per generation request, and responses per judgment request: short calls, steady progress. */
    private static final int PROMPTS_PER_CALL = 16;

    private static final int ITEMS_PER_CALL = 64;
    static final int MAX_ANSWER_TOKENS = 12;
    private static final int MAX_JUDGMENT_TOKENS = 32;

    private final JudgeStudySettings settings;
    private final GatewayClient api;
    private final StudyFolder folder;
    private final ProgressView progress;

    PointMeasurement(JudgeStudySettings settings, GatewayClient api, StudyFolder folder, ProgressView progress) {
        this.settings = settings;
        this.api = api;
        this.folder = folder;
        this.progress = progress;
    }

    /** Registers a freshly initialised base model of the size (made once in the folder) and returns its id. */
    long registerBase(ModelSize size) {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        String name = size.name().toLowerCase(Locale.ROOT) + "-seed-" + settings.seed();
        Path base = folder.baseModel(name);
        if (!Files.isRegularFile(base.resolve("config.json"))) {
            TinyModels.create(base, size.config(vocabulary), vocabulary, settings.seed());
        }
        return api.registerBaseModel("judge-study-" + name + "-" + stamp(), base);
    }

    /**
     * One M0 per size and budget; each of the recipes is measured from it. {@code measured} is told each point as soon
     * as it is measured, with the samples it was measured on.
     */
    List<StudyPoint> measure(
            ModelSize size,
            long baseId,
            int budget,
            List<JudgeStudySettings.Recipe> recipes,
            BiConsumer<StudyPoint, List<JudgedSample>> measured) {
        String label = size.name().toLowerCase(Locale.ROOT) + "-eft-" + budget;
        Instant start = Instant.now();
        SuiteSpec spec = new SuiteSpec(
                settings.seed(), settings.families(), settings.iftPerFamily(), budget, 1, 1, settings.evalPerFamily());
        List<SuitePrompt> suite = TaskSuite.generate(spec);
        long promptSet = upload(label + "-suite", suite);
        long m0 = train(baseId, promptSet, settings.sftEpochs(), "M0 (SFT on IFT+EFT)");
        List<SuitePrompt> heldOut =
                suite.stream().filter(p -> p.split().equals("EVAL")).toList();
        List<StudyPoint> points = new ArrayList<>();
        // an OWN point's time is its M0's and its own, without the SUITE point's sampling and judging
        Instant ownStart = start;
        if (recipes.contains(JudgeStudySettings.Recipe.SUITE)) {
            Instant judging = Instant.now();
            points.add(judgeOwnSamples(size, budget, JudgeStudySettings.Recipe.SUITE, m0, heldOut, start, measured));
            ownStart = start.plus(Duration.between(judging, Instant.now()));
        }
        if (recipes.contains(JudgeStudySettings.Recipe.OWN)) {
            long own = trainOnOwnSamples(label, m0, spec, suite);
            points.add(judgeOwnSamples(size, budget, JudgeStudySettings.Recipe.OWN, own, heldOut, ownStart, measured));
        }
        return points;
    }

    /**
     * The OWN recipe: M0 answers {@code budget} fresh prompts per family K times, the oracle grades every answer, and
     * M0 is fine-tuned for one more epoch on those judgments (in the suite's judge format) and the IFT examples. The
     * fresh prompts are the IFT prompts a suite with {@code budget} more IFT examples per family would add, so they
     * are disjoint from the held-out prompts.
     */
    private long trainOnOwnSamples(String label, long m0, SuiteSpec spec, List<SuitePrompt> suite) {
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
        List<List<String>> answers = sample(m0, fresh, "  M0 answers the EFT prompts");
        for (int p = 0; p < fresh.size(); p++) {
            SuitePrompt prompt = fresh.get(p);
            for (String answer : answers.get(p)) {
                Grade grade = Oracle.grade(prompt.family(), prompt.prompt(), prompt.reference(), answer);
                data.add(new SuitePrompt(
                        JudgeFormat.render(prompt.prompt(), answer), "EFT", null, grade.judgment(), prompt.family()));
            }
        }
        long promptSet = upload(label + "-own", data);
        return train(m0, promptSet, 1, "M0 + EFT on its own samples");
    }

    private StudyPoint judgeOwnSamples(
            ModelSize size,
            int budget,
            JudgeStudySettings.Recipe recipe,
            long judge,
            List<SuitePrompt> heldOut,
            Instant start,
            BiConsumer<StudyPoint, List<JudgedSample>> measured) {
        List<List<String>> answers = sample(judge, heldOut, "  samples of the held-out prompts");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int p = 0; p < heldOut.size(); p++) {
            for (String answer : answers.get(p)) {
                items.add(Map.of("prompt", heldOut.get(p).prompt(), "response", answer));
            }
        }
        List<JsonNode> judged = judge(judge, items);
        List<JudgedSample> samples = new ArrayList<>();
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
                List<String> texts = new ArrayList<>();
                result.get("judgments").forEach(j -> texts.add(j.get("text").asString()));
                samples.add(new JudgedSample(prompt.family(), prompt.prompt(), answer, mean, grade, texts));
            }
        }
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        StudyPoint point = StudyPoint.measure(
                size.name().toLowerCase(Locale.ROOT), budget, recipe.name().toLowerCase(Locale.ROOT), samples, seconds);
        measured.accept(point, samples);
        return point;
    }

    /** K samples per prompt at temperature 1.0 through the generator's route. */
    private List<List<String>> sample(long generation, List<SuitePrompt> prompts, String what) {
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
            progress.showSteps(what, answers.size(), prompts.size(), start);
        }
        progress.done();
        return answers;
    }

    /** Every item judged by the generation in the suite's template through the judge's route, in order. */
    private List<JsonNode> judge(long judge, List<Map<String, Object>> items) {
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
            progress.showSteps("  M0 judges its samples", results.size(), items.size(), start);
        }
        progress.done();
        return results;
    }

    private long upload(String name, List<SuitePrompt> prompts) {
        String lines = SuiteExport.toJsonLines(prompts);
        folder.writeSuite(name, lines);
        return api.post("/api/v1/prompt-sets?name=judge-study-" + name + "-" + stamp(), lines, "application/x-ndjson")
                .get("id")
                .asLong();
    }

    /** SFT on a prompt set's IFT and EFT examples through the trainer's route, the demo's hyperparameters. */
    private long train(long baseId, long promptSet, int epochs, String what) {
        return SftThroughGateway.train(api, progress, baseId, promptSet, epochs, settings.seed(), what);
    }

    private static String stamp() {
        return Long.toString(System.currentTimeMillis(), 36);
    }
}
