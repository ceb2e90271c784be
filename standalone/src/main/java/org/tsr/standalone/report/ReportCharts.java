package org.tsr.standalone.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The experiment report's charts, one PNG each in {@code charts/}: every figure per iteration, per run. */
final class ReportCharts {

    /** The charts in the order the report shows them. */
    static final List<String> NAMES = List.of(
            "win-rate-vs-judge-accuracy",
            "win-rate",
            "score-gap",
            "oracle-gap",
            "hidden-similarity",
            "dpo-margin",
            "judge-agreement");

    private ReportCharts() {}

    /** Writes every chart into {@code charts}, made if missing. */
    static void write(Path charts, List<SeedRuns> seeds, ExperimentSummary summary) {
        Map<String, List<List<IterationFigures>>> byRun = IterationFigures.byRun(seeds);
        try {
            Files.createDirectories(charts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Interval m0WinRate = Interval.of(List.of(0.5));
        Map<String, List<Charts.Point>> winRate = new LinkedHashMap<>();
        byRun.forEach((method, runs) -> {
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
        perIteration(
                charts.resolve("score-gap.png"),
                "Judge-score gap between chosen and rejected (pairs trained on)",
                "mean score gap",
                byRun,
                IterationFigures::scoreGap);
        perIteration(
                charts.resolve("oracle-gap.png"),
                "Oracle-grade gap between chosen and rejected (pairs trained on)",
                "mean oracle-grade gap",
                byRun,
                IterationFigures::oracleGap);
        judgeAccuracy(charts.resolve("win-rate-vs-judge-accuracy.png"), summary);
        perIteration(
                charts.resolve("hidden-similarity.png"),
                "Hidden-state cosine similarity of chosen and rejected (current policy)",
                "mean cosine",
                byRun,
                IterationFigures::cosine);
        perIteration(
                charts.resolve("dpo-margin.png"),
                "DPO reward margin of the policy update (last logged step)",
                "rewards/margins",
                byRun,
                IterationFigures::margin);
        perIteration(
                charts.resolve("judge-agreement.png"),
                "Judge accuracy: agreement with the oracle on the policy's own sample pairs",
                "share of pairs ordered alike",
                byRun,
                IterationFigures::judgeAgreement);
    }

    private static void perIteration(
            Path file,
            String title,
            String yLabel,
            Map<String, List<List<IterationFigures>>> byRun,
            Function<IterationFigures, Double> figure) {
        Map<String, List<Charts.Point>> series = new LinkedHashMap<>();
        byRun.forEach((method, runs) -> series.put(method, points(runs, IterationFigures::iteration, figure)));
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

    /** The final win rate of each method and judge against the judge's measured accuracy. */
    private static void judgeAccuracy(Path file, ExperimentSummary summary) {
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
            known.sort(Comparator.comparingDouble(Charts.Point::x));
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
}
