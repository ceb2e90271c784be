package org.tsr.standalone.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
                "DPO models trained (equal compute at equal x)",
                "win rate vs M0",
                winRate);
        chart(
                charts.resolve("score-gap.png"),
                "Judge-score gap between chosen and rejected (pairs trained on)",
                "mean score gap",
                byMethod,
                IterationFigures::scoreGap);
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
                "Self-judge agreement with the oracle on the policy's own sample pairs",
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
        md.append("## Verdict\n\n").append(verdict(byMethod)).append("\n\n");
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
        for (String chart : List.of("win-rate", "score-gap", "hidden-similarity", "dpo-margin", "judge-agreement")) {
            md.append("![").append(chart).append("](charts/").append(chart).append(".png)\n\n");
        }
        md.append("## Where the time went\n\n")
                .append("The runs went one after another, each with the machine to itself.\n\n")
                .append(timeSplit(byMethod))
                .append("\n");
        md.append("Raw figures: `reports/<method>-seed-<n>.json` (the gateway's `GET /api/v1/runs/{id}/report`);"
                + " the suite each seed used: `suite-seed-<n>.jsonl`.\n");
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
                List<IterationFigures> iterations = new ArrayList<>();
                for (JsonNode iteration : report.get("iterations")) {
                    if (iteration.get("status").asString().equals("SUCCEEDED")
                            || iteration.get("status").asString().equals("DONE")) {
                        iterations.add(IterationFigures.of(report.get("method").asString(), iteration));
                    }
                }
                byMethod.computeIfAbsent(method, m -> new ArrayList<>()).add(iterations);
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
                "%-20s %4s %4s %-13s %-11s %-11s %-7s %-11s %-11s %-11s %-11s %-11s%n",
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
                "%-20s %4s %4d %-13s %-11s %-11s%n",
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
                        "%-20s %4d %4d %-13s %-11s %-11s %-7s %-11s %-11s %-11s %-11s %-11s%n",
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

    /** Compares the last iteration of SR and TSR, per judge, plainly, from the numbers. */
    static String verdict(Map<String, List<List<IterationFigures>>> byMethod) {
        StringBuilder verdict = new StringBuilder(
                byMethod.containsKey("SR") || byMethod.containsKey("TSR") ? verdict(byMethod, "SR", "TSR") : "");
        for (String judge : List.of("frozen", "oracle")) {
            String sr = "SR, " + judge + " judge";
            String tsr = "TSR, " + judge + " judge";
            if (byMethod.containsKey(sr) && byMethod.containsKey(tsr)) {
                verdict.append("\n\nWith the ").append(judge).append(" judge: ").append(verdict(byMethod, sr, tsr));
            }
        }
        return verdict.toString();
    }

    private static String verdict(Map<String, List<List<IterationFigures>>> byMethod, String srLabel, String tsrLabel) {
        Interval sr = last(byMethod.get(srLabel), IterationFigures::winRate);
        Interval tsr = last(byMethod.get(tsrLabel), IterationFigures::winRate);
        if (sr == null || tsr == null || !sr.present() || !tsr.present()) {
            return "No comparison: the experiment did not finish both an " + srLabel + " and a " + tsrLabel
                    + " run with evaluations.";
        }
        int srModels = lastFigures(byMethod.get(srLabel)).dpoModels();
        int tsrModels = lastFigures(byMethod.get(tsrLabel)).dpoModels();
        String compute = srModels == tsrModels
                ? "at equal compute (" + srModels + " DPO models each)"
                : "at unequal compute (SR " + srModels + " DPO models, TSR " + tsrModels + ")";
        String figures =
                "final win rate against M0: TSR " + tsr.format("%.3f") + ", SR " + sr.format("%.3f") + ", " + compute;
        String outcome;
        if (tsr.mean() > sr.mean()) {
            outcome = "TSR beat SR on this run";
        } else if (tsr.mean() < sr.mean()) {
            outcome = "TSR did not beat SR on this run; SR came out ahead";
        } else {
            outcome = "TSR and SR tied on this run";
        }
        StringBuilder verdict =
                new StringBuilder(outcome).append(": ").append(figures).append('.');
        if (tsr.n() > 1 && sr.n() > 1 && tsr.low() <= sr.high() && sr.low() <= tsr.high()) {
            verdict.append(" The 95% intervals overlap, so the difference is within the noise of these seeds.");
        } else if (tsr.n() == 1) {
            verdict.append(" With one seed there is no interval; run with --seeds 3 or more to judge the noise.");
        }
        Interval srGapFirst = first(byMethod.get(srLabel), IterationFigures::scoreGap);
        Interval srGapLast = last(byMethod.get(srLabel), IterationFigures::scoreGap);
        Interval tsrGapFirst = first(byMethod.get(tsrLabel), IterationFigures::scoreGap);
        Interval tsrGapLast = last(byMethod.get(tsrLabel), IterationFigures::scoreGap);
        verdict.append(" The chosen-rejected judge-score gap of the trained pairs went from ")
                .append(srGapFirst.format("%.2f"))
                .append(" to ")
                .append(srGapLast.format("%.2f"))
                .append(" in SR and from ")
                .append(tsrGapFirst.format("%.2f"))
                .append(" to ")
                .append(tsrGapLast.format("%.2f"))
                .append(" in TSR.");
        Interval agreement = first(byMethod.get(srLabel), IterationFigures::judgeAgreement);
        if (agreement.present()) {
            verdict.append(srLabel.equals("SR") ? " M0 as a judge ordered " : " The first iteration's judge ordered ")
                    .append(String.format("%.0f%%", agreement.mean() * 100))
                    .append(" of its own sample pairs the way the oracle does; self-rewarding can only help as far"
                            + " as its judge is right.");
        }
        return verdict.toString();
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

    private static IterationFigures lastFigures(List<List<IterationFigures>> runs) {
        List<IterationFigures> run =
                runs.stream().filter(r -> !r.isEmpty()).findFirst().orElseThrow();
        return run.get(run.size() - 1);
    }

    private static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return String.format("%d min %02d s", seconds / 60, seconds % 60);
    }
}
