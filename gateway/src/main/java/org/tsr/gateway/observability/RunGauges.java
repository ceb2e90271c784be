package org.tsr.gateway.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.tsr.gateway.observability.RunFigures.IterationFigures;
import org.tsr.gateway.observability.RunFigures.LatestRun;
import org.tsr.store.run.RunMethod;
import org.tsr.store.run.RunStatus;
import org.tsr.store.workqueue.StageCounts;
import tools.jackson.databind.JsonNode;

/**
 * Gauges of the runs, read from the store every {@code tsr.observability.refresh} (10s):
 *
 * <ul>
 *   <li>{@code tsr.runs{method,status}}: how many runs are in each state;
 *   <li>for the latest run of each method and judge role (tags {@code method}, {@code judge_role}: self, fixed,
 *       oracle): {@code tsr.run.iterations{state=planned|succeeded}},
 *       {@code tsr.run.phase.progress{phase}} (done units / all units of the phase its last iteration is in, 0 to
 *       1; 1 once that iteration is DONE), and per
 *       iteration (tag {@code iteration}, its index) {@code tsr.run.phase.seconds{phase}} (the conductor's phase
 *       timings), the pair-dataset diagnostics the pairing-service records, {@code tsr.run.pairs},
 *       {@code tsr.run.score.chosen}, {@code tsr.run.score.rejected}, {@code tsr.run.score.gap} (tag
 *       {@code dataset}: SR, D1, D2), and, when the iteration has an {@code evaluation} section,
 *       {@code tsr.run.evaluation.win.rate} (win rate against M0) and {@code tsr.run.evaluation.oracle.score}, with a
 *       pairwise judge {@code tsr.run.evaluation.pairwise.win.rate} and its length-controlled twin, and,
 *       from its {@code judge} section, {@code tsr.run.judge.agreement} (share of the policy's own sample pairs the
 *       judge orders as the oracle does) and {@code tsr.run.pairs.oracle.agreement} (tag {@code dataset}: share of
 *       pairs whose chosen response the oracle also prefers).
 * </ul>
 *
 * Only the latest run of each method and judge role is shown per iteration, so the tags stay bounded (never a database id); older
 * runs are in the store and the API. Every gateway replica exports the same figures: aggregate with {@code max}.
 */
@Component
class RunGauges implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(RunGauges.class);

    private final RunFigures figures;
    private final Map<String, Long> runCounts = new ConcurrentHashMap<>();
    private volatile Map<String, MultiGauge> gauges = Map.of();
    /** The value behind each row each gauge shows, by gauge name and row tags. */
    private final Map<String, Map<Tags, AtomicReference<Double>>> current = new ConcurrentHashMap<>();

    RunGauges(RunFigures figures) {
        this.figures = figures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RunMethod method : RunMethod.values()) {
            for (RunStatus status : RunStatus.values()) {
                String key = RunFigures.key(method.name(), status.name());
                Gauge.builder("tsr.runs", runCounts, counts -> counts.getOrDefault(key, 0L))
                        .description("Runs in each state")
                        .tag("method", method.name().toLowerCase(Locale.ROOT))
                        .tag("status", status.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
        }
        Map<String, MultiGauge> byName = new ConcurrentHashMap<>();
        for (String[] gauge : new String[][] {
            {"tsr.run.iterations", "Iterations of the latest run of each method: planned and succeeded"},
            {"tsr.run.phase.progress", "Share of the current phase's work units that are done"},
            {"tsr.run.phase.seconds", "Wall time of each finished phase of each iteration"},
            {"tsr.run.pairs", "Preference pairs of each dataset of each iteration"},
            {"tsr.run.score.chosen", "Mean judge score of the chosen responses"},
            {"tsr.run.score.rejected", "Mean judge score of the rejected responses"},
            {"tsr.run.score.gap", "Mean chosen-minus-rejected judge score"},
            {"tsr.run.evaluation.win.rate", "Win rate of the iteration's model against M0"},
            {"tsr.run.evaluation.oracle.score", "Mean oracle score of the iteration's model"},
            {"tsr.run.evaluation.pairwise.win.rate", "Win rate against M0 as the run's pairwise judge compared them"},
            {
                "tsr.run.evaluation.pairwise.length.controlled.win.rate",
                "Length-controlled win rate against M0 as the run's pairwise judge compared them"
            },
            {"tsr.run.judge.agreement", "Share of the policy's sample pairs the judge orders as the oracle does"},
            {"tsr.run.pairs.oracle.agreement", "Share of pairs whose chosen response the oracle also prefers"}
        }) {
            MultiGauge.Builder builder = MultiGauge.builder(gauge[0]).description(gauge[1]);
            if (gauge[0].equals("tsr.run.phase.seconds")) {
                builder.baseUnit("seconds");
            }
            byName.put(gauge[0], builder.register(registry));
        }
        gauges = byName;
        refresh();
    }

    @Scheduled(fixedDelayString = "${tsr.observability.refresh:10s}")
    synchronized void refresh() {
        if (gauges.isEmpty()) {
            return;
        }
        try {
            Map<String, Long> counts = figures.runCounts();
            runCounts.keySet().retainAll(counts.keySet());
            runCounts.putAll(counts);
            show(figures.latestRuns());
        } catch (RuntimeException e) {
            log.warn("Could not read the runs' figures: {}", e.getMessage());
        }
    }

    private void show(List<LatestRun> latest) {
        Map<String, Map<Tags, Double>> rows = new HashMap<>();
        gauges.keySet().forEach(name -> rows.put(name, new LinkedHashMap<>()));
        for (LatestRun run : latest) {
            Tags method = Tags.of("method", run.method().toLowerCase(Locale.ROOT), "judge_role", run.judgeRole());
            long succeeded = run.iterations().stream()
                    .filter(iteration -> iteration.status().equals("SUCCEEDED"))
                    .count();
            rows.get("tsr.run.iterations").put(method.and("state", "planned"), (double) run.plannedIterations());
            rows.get("tsr.run.iterations").put(method.and("state", "succeeded"), (double) succeeded);
            if (run.currentPhase() != null) {
                rows.get("tsr.run.phase.progress")
                        .put(method.and("phase", phaseTag(run.currentPhase())), progress(run));
            }
            for (IterationFigures iteration : run.iterations()) {
                Tags tags = method.and("iteration", Integer.toString(iteration.index()));
                iteration.timings().properties().forEach(phase -> {
                    if (phase.getValue().isNumber()) {
                        rows.get("tsr.run.phase.seconds")
                                .put(
                                        tags.and("phase", phaseTag(phase.getKey())),
                                        phase.getValue().asDouble());
                    }
                });
                JsonNode pairs = iteration.diagnostics().path("pairs");
                pairs.properties().forEach(dataset -> {
                    Tags datasetTags = tags.and("dataset", dataset.getKey());
                    JsonNode figures = dataset.getValue();
                    add(rows.get("tsr.run.pairs"), datasetTags, figures.path("pairs"));
                    add(rows.get("tsr.run.score.chosen"), datasetTags, figures.path("meanChosenScore"));
                    add(rows.get("tsr.run.score.rejected"), datasetTags, figures.path("meanRejectedScore"));
                    add(rows.get("tsr.run.score.gap"), datasetTags, figures.path("meanScoreGap"));
                });
                JsonNode evaluation = iteration.diagnostics().path("evaluation");
                add(rows.get("tsr.run.evaluation.win.rate"), tags, evaluation.path("winRateVsM0"));
                add(rows.get("tsr.run.evaluation.oracle.score"), tags, evaluation.path("meanOracleScore"));
                JsonNode pairwise = evaluation.path("pairwise");
                add(rows.get("tsr.run.evaluation.pairwise.win.rate"), tags, pairwise.path("winRate"));
                add(
                        rows.get("tsr.run.evaluation.pairwise.length.controlled.win.rate"),
                        tags,
                        pairwise.path("lengthControlledWinRate"));
                JsonNode judge = iteration.diagnostics().path("judge");
                add(rows.get("tsr.run.judge.agreement"), tags, judge.path("agreement"));
                judge.path("chosenPreferredByOracle")
                        .properties()
                        .forEach(dataset -> add(
                                rows.get("tsr.run.pairs.oracle.agreement"),
                                tags.and("dataset", dataset.getKey()),
                                dataset.getValue().path("share")));
            }
        }
        rows.forEach(this::publish);
    }

    /**
     * Shows {@code values} as the gauge's rows. A row that stays keeps its meter and only its value changes: replacing
     * the meter (MultiGauge's overwrite) while Prometheus scrapes can show one series twice and fail the scrape.
     */
    private void publish(String name, Map<Tags, Double> values) {
        Map<Tags, AtomicReference<Double>> shown = current.computeIfAbsent(name, key -> new ConcurrentHashMap<>());
        shown.keySet().retainAll(values.keySet());
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((tags, value) -> {
            AtomicReference<Double> holder = shown.computeIfAbsent(tags, key -> new AtomicReference<>());
            holder.set(value);
            rows.add(MultiGauge.Row.of(tags, holder, AtomicReference::get));
        });
        gauges.get(name).register(rows, false);
    }

    /** Done units of all units of the current phase; a finished iteration is 1, one not started 0. */
    private static double progress(LatestRun run) {
        if (run.currentPhase().equals("DONE")) {
            return 1.0;
        }
        StageCounts units = run.currentPhaseUnits();
        return units == null || units.total() == 0 ? 0.0 : (double) units.done() / units.total();
    }

    /** Adds a row for a number; a missing value or JSON null (a dataset without pairs has no means) adds none. */
    private static void add(Map<Tags, Double> rows, Tags tags, JsonNode value) {
        if (value.isNumber()) {
            rows.put(tags, value.asDouble());
        }
    }

    static String phaseTag(String phase) {
        return phase.toLowerCase(Locale.ROOT);
    }
}
