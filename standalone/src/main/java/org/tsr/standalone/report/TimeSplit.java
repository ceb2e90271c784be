package org.tsr.standalone.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Where the runs' wall time went: per run the platform's own share, and over every run the split by kind of work. */
final class TimeSplit {

    private TimeSplit() {}

    static String of(List<SeedRuns> seeds) {
        return perRun(IterationFigures.byRun(seeds)) + "\n" + byKindOfWork(seeds);
    }

    /** Per run, its iteration phases' wall time and the part when none of a phase's work units was running. */
    private static String perRun(Map<String, List<List<IterationFigures>>> byRun) {
        StringBuilder text = new StringBuilder();
        byRun.forEach((method, runs) -> {
            double wall = 0;
            double outside = 0;
            for (List<IterationFigures> run : runs) {
                for (IterationFigures iteration : run) {
                    wall += iteration.wallSeconds();
                    outside += iteration.outsideUnitsSeconds();
                }
            }
            text.append(String.format(
                    Locale.ROOT,
                    "- %s: %.0f s in iteration phases, of which %.1f s (%.1f%%) with none of the phase's work units"
                            + " running: the platform's own share (queue pick-up, phase changes, the conductor); the"
                            + " rest is sampling, judging, pairing and training inside the units.%n",
                    method,
                    wall,
                    outside,
                    wall == 0 ? 0 : 100 * outside / wall));
        });
        return text.toString();
    }

    /** Where the runs' wall time went, by kind of phase, over every run and seed. */
    private static String byKindOfWork(List<SeedRuns> seeds) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Double> outside = new LinkedHashMap<>();
        for (SeedRuns seed : seeds) {
            for (JsonNode report : seed.reports().values()) {
                for (JsonNode iteration : report.path("iterations")) {
                    for (Map.Entry<String, JsonNode> phase :
                            iteration.path("phases").properties()) {
                        String kind = kind(phase.getKey());
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

    private static String kind(String phase) {
        if (phase.startsWith("GENERATING")) {
            return "sampling";
        }
        if (phase.equals("EVALUATING") || phase.equals("JUDGING_EVALUATION")) {
            return "evaluation";
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
        return phase.toLowerCase(Locale.ROOT);
    }
}
