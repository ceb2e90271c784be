package org.tsr.standalone.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Writes the experiment's report: {@code report.md} with the figures of every method per iteration (means and 95%
 * intervals over seeds), the charts beside it, and a verdict read from the numbers.
 */
public final class ExperimentReport {

    private ExperimentReport() {}

    /** Writes the report into the folder and returns the Markdown file. */
    public static Path write(Path folder, String settings, List<SeedRuns> seeds, Duration took) {
        Map<String, List<List<IterationFigures>>> byMethod = figures(seeds);
        ExperimentSummary summary = ExperimentSummary.of(seeds);
        try {
            Files.writeString(
                    folder.resolve("summary.json"),
                    tools.jackson.databind.json.JsonMapper.builder()
                            .enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                            .build()
                            .writeValueAsString(summary));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> initial = seeds.stream()
                .map(seed -> seed.reports().values().iterator().next().get("initialEvaluation"))
                .toList();
        Path charts = folder.resolve("charts");
        try {
            Files.createDirectories(charts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Interval m0WinRate = Interval.of(List.of(0.5));
        Map<String, List<Charts.Point>> winRate = new LinkedHashMap<>();
        byMethod.forEach((method, runs) -> {
            List<Charts.Point> points = new ArrayList<>();
            points.add(new Charts.Point(0, m0WinRate));
            points.addAll(points(runs, IterationFigures::dpoModels, IterationFigures::winRate));
            winRate.put(method, points);
        });
        Charts.line(
                charts.resolve("win-rate.png"),
                "Win rate against M0 on the held-out set (oracle-judged, ties half)",
                "DPO models trained",
                "win rate vs M0",
                winRate);
        chart(
                charts.resolve("score-gap.png"),
                "Judge-score gap between chosen and rejected (pairs trained on)",
                "mean score gap",
                byMethod,
                IterationFigures::scoreGap);
        chart(
                charts.resolve("oracle-gap.png"),
                "Oracle-grade gap between chosen and rejected (pairs trained on)",
                "mean oracle-grade gap",
                byMethod,
                IterationFigures::oracleGap);
        judgeAccuracyChart(charts.resolve("win-rate-vs-judge-accuracy.png"), summary);
        chart(
                charts.resolve("hidden-similarity.png"),
                "Hidden-state cosine similarity of chosen and rejected (current policy)",
                "mean cosine",
                byMethod,
                IterationFigures::cosine);
        chart(
                charts.resolve("dpo-margin.png"),
                "DPO reward margin of the policy update (last logged step)",
                "rewards/margins",
                byMethod,
                IterationFigures::margin);
        chart(
                charts.resolve("judge-agreement.png"),
                "Judge accuracy: agreement with the oracle on the policy's own sample pairs",
                "share of pairs ordered alike",
                byMethod,
                IterationFigures::judgeAgreement);

        StringBuilder md = new StringBuilder();
        md.append("# Self-Rewarding (SR) vs Temporal Self-Rewarding (TSR) on the built-in task suite\n\n");
        md.append("Settings: ").append(settings).append(".\n\n");
        md.append("Took ")
                .append(clock(took))
                .append(" in all (M0's SFT: ")
                .append(seeds.stream()
                        .map(s -> String.format("%.0f s", s.sftSeconds()))
                        .toList())
                .append(").\n\n");
        for (SeedRuns seed : seeds) {
            seed.failures()
                    .forEach(
                            failure -> md.append("**Failed:** ").append(failure).append("\n\n"));
        }
        md.append("## Verdict\n\n")
                .append(verdict(byMethod, summary, labels(seeds)))
                .append("\n\n");
        md.append("## Final win rate against M0 per judge\n\n")
                .append(groupTable(summary))
                .append("\n");
        md.append("## Compute per run\n\n").append(computeTable(summary)).append("\n");
        md.append("## Figures per iteration\n\n");
        md.append("Means over ")
                .append(seeds.size())
                .append(" seed(s)")
                .append(seeds.size() > 1 ? ", ± the half-width of the 95% interval" : "")
                .append(".\n\n");
        md.append("```\n").append(table(byMethod, initial)).append("```\n\n");
        md.append("Columns: win rate of the iteration's trained policy against M0 on the held-out set (oracle-graded,"
                + " ties count half), its mean oracle score (1-5) and exact-answer share; pairs in the dataset the"
                + " policy trained on (SR: best vs worst; TSR: D2), their mean judge-score gap and hidden-state cosine;"
                + " the DPO reward margin at the last logged step; the share of the policy's own sample pairs its"
                + " judge ordered as the oracle does; the share of trained pairs whose chosen response the oracle also"
                + " prefers.\n\n");
        md.append("## Charts\n\n");
        for (String chart : List.of(
                "win-rate-vs-judge-accuracy",
                "win-rate",
                "score-gap",
                "oracle-gap",
                "hidden-similarity",
                "dpo-margin",
                "judge-agreement")) {
            md.append("![").append(chart).append("](charts/").append(chart).append(".png)\n\n");
        }
        md.append("## Where the time went\n\n")
                .append("The runs went one after another, each with the machine to itself.\n\n")
                .append(timeSplit(byMethod))
                .append("\n")
                .append(phaseSplit(seeds))
                .append("\n");
        md.append("Raw figures: `summary.json` (documented in docs/experiment.md), `reports/<method>-seed-<n>.json`"
                + " (the gateway's `GET /api/v1/runs/{id}/report`); the suite each seed used:"
                + " `suite-seed-<n>.jsonl`.\n");
        Path report = folder.resolve("report.md");
        try {
            Files.writeString(report, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return report;
    }

    /** The figures table, as printed at the end of {@code tsr demo}. */
    public static String summaryTable(List<SeedRuns> seeds) {
        List<JsonNode> initial = seeds.stream()
                .map(seed -> seed.reports().values().iterator().next().get("initialEvaluation"))
                .toList();
        return table(figures(seeds), initial);
    }

    private static Map<String, List<List<IterationFigures>>> figures(List<SeedRuns> seeds) {
        Map<String, List<List<IterationFigures>>> byMethod = new LinkedHashMap<>();
        for (SeedRuns seed : seeds) {
            seed.reports().forEach((method, report) -> {
                byMethod.computeIfAbsent(method, m -> new ArrayList<>()).add(IterationFigures.finished(report));
            });
        }
        return byMethod;
    }

    private static void chart(
            Path file,
            String title,
            String yLabel,
            Map<String, List<List<IterationFigures>>> byMethod,
            Function<IterationFigures, Double> figure) {
        Map<String, List<Charts.Point>> series = new LinkedHashMap<>();
        byMethod.forEach((method, runs) -> series.put(method, points(runs, IterationFigures::iteration, figure)));
        Charts.line(file, title, "iteration", yLabel, series);
    }

    /** One point per iteration: the figure's mean over the seeds that reached it. */
    private static List<Charts.Point> points(
            List<List<IterationFigures>> runs,
            Function<IterationFigures, Integer> x,
            Function<IterationFigures, Double> figure) {
        List<Charts.Point> points = new ArrayList<>();
        int longest = runs.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            List<Double> values = new ArrayList<>();
            Integer at = null;
            for (List<IterationFigures> run : runs) {
                if (i < run.size()) {
                    values.add(figure.apply(run.get(i)));
                    at = x.apply(run.get(i));
                }
            }
            points.add(new Charts.Point(at, Interval.of(values)));
        }
        return points;
    }

    private static String table(Map<String, List<List<IterationFigures>>> byMethod, List<JsonNode> initial) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                "%-24s %4s %4s %-13s %-11s %-11s %-7s %-11s %-11s %-11s %-11s %-11s%n",
                "method",
                "iter",
                "DPO",
                "win vs M0",
                "oracle 1-5",
                "exact",
                "pairs",
                "score gap",
                "cosine",
                "DPO margin",
                "judge agr.",
                "chosen ok"));
        table.append(String.format(
                "%-24s %4s %4d %-13s %-11s %-11s%n",
                "M0",
                "-",
                0,
                "0.50",
                Interval.of(initial.stream()
                                .map(n -> IterationFigures.number(n.path("meanOracleScore")))
                                .toList())
                        .format("%.2f"),
                Interval.of(initial.stream()
                                .map(n -> IterationFigures.number(n.path("exactMatch")))
                                .toList())
                        .format("%.2f")));
        byMethod.forEach((method, runs) -> {
            int longest = runs.stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < longest; i++) {
                final int index = i;
                Function<Function<IterationFigures, Double>, Interval> of = figure -> Interval.of(runs.stream()
                        .filter(run -> index < run.size())
                        .map(run -> figure.apply(run.get(index)))
                        .toList());
                IterationFigures first = runs.stream()
                        .filter(run -> index < run.size())
                        .findFirst()
                        .orElseThrow()
                        .get(index);
                table.append(String.format(
                        "%-24s %4d %4d %-13s %-11s %-11s %-7s %-11s %-11s %-11s %-11s %-11s%n",
                        method,
                        first.iteration(),
                        first.dpoModels(),
                        of.apply(IterationFigures::winRate).format("%.2f"),
                        of.apply(IterationFigures::oracleScore).format("%.2f"),
                        of.apply(IterationFigures::exactMatch).format("%.2f"),
                        of.apply(f -> f.pairs() == null ? null : f.pairs().doubleValue())
                                .format("%.0f"),
                        of.apply(IterationFigures::scoreGap).format("%.2f"),
                        of.apply(IterationFigures::cosine).format("%.3f"),
                        of.apply(IterationFigures::margin).format("%.3f"),
                        of.apply(IterationFigures::judgeAgreement).format("%.2f"),
                        of.apply(IterationFigures::chosenPreferred).format("%.2f")));
            }
        });
        return table.toString();
    }

    /**
     * Compares SR and TSR per judge, plainly, from the numbers: a winner only where the 95% intervals of the final
     * win rates do not overlap, and for each run whether its interval lies above 0.5 (better than M0).
     */
    static String verdict(
            Map<String, List<List<IterationFigures>>> byMethod, ExperimentSummary summary, Map<String, String> labels) {
        StringBuilder verdict = new StringBuilder();
        List<String> judges = summary.groups().stream()
                .map(ExperimentSummary.Group::judge)
                .distinct()
                .toList();
        for (String judge : judges) {
            if (!verdict.isEmpty()) {
                verdict.append("\n\n");
            }
            verdict.append("With the ").append(judge).append(" judge: ");
            var sr = summary.group("SR", judge);
            var tsr = summary.group("TSR", judge);
            List<String> parts = new ArrayList<>();
            sr.ifPresent(group -> parts.add("SR " + describe(group)));
            tsr.ifPresent(group -> parts.add("TSR " + describe(group)));
            verdict.append("final win rate against M0 ")
                    .append(String.join("; ", parts))
                    .append(". ");
            if (sr.isPresent() && tsr.isPresent()) {
                if (sr.get().ci95() == null || tsr.get().ci95() == null) {
                    verdict.append("No comparison: a run has no evaluation. ");
                } else if (tsr.get().above(sr.get())) {
                    verdict.append("TSR beat SR: its interval lies above SR's. ");
                } else if (sr.get().above(tsr.get())) {
                    verdict.append("SR beat TSR: its interval lies above TSR's. ");
                } else {
                    verdict.append("The intervals overlap: neither method beat the other on these seeds. ");
                }
                String srLabel = labels.get("SR/" + judge);
                String tsrLabel = labels.get("TSR/" + judge);
                if (byMethod.containsKey(srLabel) && byMethod.containsKey(tsrLabel)) {
                    verdict.append("The chosen-rejected judge-score gap of the trained pairs went from ")
                            .append(first(byMethod.get(srLabel), IterationFigures::scoreGap)
                                    .format("%.2f"))
                            .append(" to ")
                            .append(last(byMethod.get(srLabel), IterationFigures::scoreGap)
                                    .format("%.2f"))
                            .append(" in SR and from ")
                            .append(first(byMethod.get(tsrLabel), IterationFigures::scoreGap)
                                    .format("%.2f"))
                            .append(" to ")
                            .append(last(byMethod.get(tsrLabel), IterationFigures::scoreGap)
                                    .format("%.2f"))
                            .append(" in TSR.");
                }
            }
        }
        return verdict.toString();
    }

    private static String describe(ExperimentSummary.Group group) {
        if (group.finalWinRate() == null) {
            return "n/a";
        }
        String text = String.format(Locale.ROOT, "%.3f", group.finalWinRate());
        if (group.ci95() == null) {
            return text;
        }
        String above = group.ci95().get(0) > 0.5 ? "above" : group.ci95().get(1) < 0.5 ? "below" : "not clear of";
        return String.format(
                Locale.ROOT,
                "%s [%.3f, %.3f] (%s 0.5, judge accuracy %s)",
                text,
                group.ci95().get(0),
                group.ci95().get(1),
                above,
                group.judgeAccuracy() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", group.judgeAccuracy()));
    }

    /** Each run's label by its method and judge, "SR/oracle" to "SR, oracle judge", as the demo named them. */
    private static Map<String, String> labels(List<SeedRuns> seeds) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (SeedRuns seed : seeds) {
            seed.reports()
                    .forEach((label, report) -> labels.putIfAbsent(
                            report.path("method").asString() + "/"
                                    + seed.judges().get(label),
                            label));
        }
        return labels;
    }

    private static String groupTable(ExperimentSummary summary) {
        StringBuilder table =
                new StringBuilder("| method | judge | judge accuracy | seeds | final win rate | 95% interval |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (ExperimentSummary.Group group : summary.groups()) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %s | %s |%n",
                    group.method(),
                    group.judge(),
                    formatted(group.judgeAccuracy()),
                    group.seeds(),
                    formatted(group.finalWinRate()),
                    group.ci95() == null
                            ? "n/a"
                            : "[" + formatted(group.ci95().get(0)) + ", "
                                    + formatted(group.ci95().get(1)) + "]"));
        }
        return table.toString();
    }

    /** A figure to three decimals, "n/a" when it was not measured. */
    private static String formatted(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** Each run's spending: DPO steps, tokens sampled and judged, wall time; SR and TSR compared at equal DPO models. */
    private static String computeTable(ExperimentSummary summary) {
        StringBuilder table =
                new StringBuilder("| method | judge | seed | DPO steps | tokens sampled | tokens judged | seconds |\n");
        table.append("|---|---|---|---|---|---|---|\n");
        for (ExperimentSummary.RunSummary run : summary.runs()) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %d | %d | %d | %.0f |%n",
                    run.method(),
                    run.judge(),
                    run.seed(),
                    run.dpoSteps(),
                    run.tokensSampled(),
                    run.tokensJudged(),
                    run.seconds()));
        }
        table.append("\nSR and TSR train the same number of DPO models (SR one per iteration, TSR two), not the same"
                + " compute: each TSR iteration also samples K responses from M0 (the anchor) and from the future"
                + " model, and its judge scores all of them, so TSR samples and judges more per DPO model. Tokens"
                + " judged count what a model judge read and wrote (0 for the oracle and the noisy oracles, which"
                + " use no model).\n");
        return table.toString();
    }

    /** Where the runs' wall time went, by kind of phase, over every run and seed. */
    private static String phaseSplit(List<SeedRuns> seeds) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Double> outside = new LinkedHashMap<>();
        for (SeedRuns seed : seeds) {
            for (JsonNode report : seed.reports().values()) {
                for (JsonNode iteration : report.path("iterations")) {
                    for (Map.Entry<String, JsonNode> phase :
                            iteration.path("phases").properties()) {
                        String kind = phaseKind(phase.getKey());
                        seconds.merge(kind, phase.getValue().path("wallSeconds").asDouble(), Double::sum);
                        outside.merge(
                                kind,
                                phase.getValue().path("outsideUnitsSeconds").asDouble(),
                                Double::sum);
                    }
                }
            }
        }
        double total =
                seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        double platform =
                outside.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder text = new StringBuilder("By kind of work, over every run: ");
        List<String> parts = new ArrayList<>();
        seconds.forEach((kind, value) -> parts.add(String.format(
                Locale.ROOT,
                "%s %.0f s (%.0f%%)",
                kind,
                value - outside.get(kind),
                100 * (value - outside.get(kind)) / Math.max(total, 1e-9))));
        parts.add(String.format(
                Locale.ROOT,
                "the platform between units %.0f s (%.0f%%)",
                platform,
                100 * platform / Math.max(total, 1e-9)));
        text.append(String.join(", ", parts)).append(".\n");
        return text.toString();
    }

    private static String phaseKind(String phase) {
        if (phase.startsWith("GENERATING")) {
            return "sampling";
        }
        if (phase.startsWith("JUDGING")) {
            return "judging";
        }
        if (phase.startsWith("PAIRING")) {
            return "pairing";
        }
        if (phase.startsWith("TRAINING") || phase.equals("BOOTSTRAPPING")) {
            return "training";
        }
        if (phase.equals("EVALUATING")) {
            return "evaluation";
        }
        return phase.toLowerCase(Locale.ROOT);
    }

    private static void judgeAccuracyChart(Path file, ExperimentSummary summary) {
        Map<String, List<Charts.Point>> series = new LinkedHashMap<>();
        for (String method : List.of("SR", "TSR")) {
            List<Charts.Point> known = new ArrayList<>();
            List<Charts.Point> self = new ArrayList<>();
            for (ExperimentSummary.Group group : summary.groups()) {
                if (!group.method().equals(method) || group.judgeAccuracy() == null || group.finalWinRate() == null) {
                    continue;
                }
                double halfWidth = group.ci95() == null
                        ? 0
                        : (group.ci95().get(1) - group.ci95().get(0)) / 2;
                Charts.Point point = new Charts.Point(
                        group.judgeAccuracy(),
                        new Interval(group.finalWinRate(), halfWidth, group.ci95() == null ? 1 : 2));
                (group.judge().equals("self") ? self : known).add(point);
            }
            known.sort(java.util.Comparator.comparingDouble(Charts.Point::x));
            if (!known.isEmpty()) {
                series.put(method, known);
            }
            if (!self.isEmpty()) {
                series.put(method + " self-judge", self);
            }
        }
        Charts.line(
                file,
                "Final win rate against M0 by measured judge accuracy",
                "judge accuracy (share of the policy's own sample pairs ordered as the oracle does)",
                "final win rate vs M0",
                series,
                null,
                Map.entry("M0 (0.5)", 0.5));
    }

    private static String timeSplit(Map<String, List<List<IterationFigures>>> byMethod) {
        StringBuilder text = new StringBuilder();
        byMethod.forEach((method, runs) -> {
            double wall = 0;
            double outside = 0;
            for (List<IterationFigures> run : runs) {
                for (IterationFigures iteration : run) {
                    wall += iteration.wallSeconds();
                    outside += iteration.outsideUnitsSeconds();
                }
            }
            text.append(String.format(
                    "- %s: %.0f s in iteration phases, of which %.1f s (%.1f%%) with none of the phase's work units"
                            + " running: the platform's own share (queue pick-up, phase changes, the conductor); the"
                            + " rest is sampling, judging, pairing and training inside the units.%n",
                    method, wall, outside, wall == 0 ? 0 : 100 * outside / wall));
        });
        return text.toString();
    }

    private static Interval first(List<List<IterationFigures>> runs, Function<IterationFigures, Double> figure) {
        return Interval.of(runs.stream()
                .filter(run -> !run.isEmpty())
                .map(run -> figure.apply(run.get(0)))
                .toList());
    }

    private static Interval last(List<List<IterationFigures>> runs, Function<IterationFigures, Double> figure) {
        if (runs == null) {
            return null;
        }
        return Interval.of(runs.stream()
                .filter(run -> !run.isEmpty())
                .map(run -> figure.apply(run.get(run.size() - 1)))
                .toList());
    }

    private static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return String.format("%d min %02d s", seconds / 60, seconds % 60);
    }
}
