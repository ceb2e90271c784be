package org.tsr.standalone.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares SR and TSR per judge, plainly, from the numbers: a winner only where the 95% intervals of the final win
 * rates do not overlap, and for each run whether its interval lies above 0.5 (better than M0).
 */
final class Verdict {

    private Verdict() {}

    static String of(List<SeedRuns> seeds, ExperimentSummary summary) {
        Map<String, List<List<IterationFigures>>> byRun = IterationFigures.byRun(seeds);
        Map<String, String> labels = labels(seeds);
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
            Optional<ExperimentSummary.Group> sr = summary.group("SR", judge);
            Optional<ExperimentSummary.Group> tsr = summary.group("TSR", judge);
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
                if (byRun.containsKey(srLabel) && byRun.containsKey(tsrLabel)) {
                    verdict.append("The chosen-rejected judge-score gap of the trained pairs went from ")
                            .append(first(byRun.get(srLabel), IterationFigures::scoreGap)
                                    .format("%.2f"))
                            .append(" to ")
                            .append(last(byRun.get(srLabel), IterationFigures::scoreGap)
                                    .format("%.2f"))
                            .append(" in SR and from ")
                            .append(first(byRun.get(tsrLabel), IterationFigures::scoreGap)
                                    .format("%.2f"))
                            .append(" to ")
                            .append(last(byRun.get(tsrLabel), IterationFigures::scoreGap)
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
}
