package org.tsr.standalone.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The figures of every run per iteration as a fixed-width table, M0 first: means over seeds, with the half-width of
 * the 95% interval when there are several. In the report and at the end of {@code tsr demo}.
 */
final class FiguresTable {

    private FiguresTable() {}

    static String of(List<SeedRuns> seeds) {
        List<JsonNode> initial = seeds.stream()
                .map(seed -> seed.reports().values().iterator().next().get("initialEvaluation"))
                .toList();
        return table(IterationFigures.byRun(seeds), initial);
    }

    private static String table(Map<String, List<List<IterationFigures>>> byRun, List<JsonNode> initial) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT,
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
                Locale.ROOT,
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
        byRun.forEach((method, runs) -> {
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
                        Locale.ROOT,
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
}
