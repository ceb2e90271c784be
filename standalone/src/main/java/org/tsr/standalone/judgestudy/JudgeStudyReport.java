package org.tsr.standalone.judgestudy;

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
import java.util.TreeSet;
import org.tsr.standalone.report.Charts;
import org.tsr.standalone.report.Interval;
import org.tsr.tasks.JudgeAgreement;

/**
 * Writes the judge study's report: {@code report.md} with the verdict and a table of every grid point's agreement, per
 * family and overall, and {@code judge-agreement.png}, the agreement against the EFT budget.
 */
final class JudgeStudyReport {

    private JudgeStudyReport() {}

    /** The Markdown table: one row per point, overall and per-family agreement with the pairs each counts. */
    static String table(List<StudyPoint> points) {
        List<String> families = families(points);
        StringBuilder table = new StringBuilder("| size | EFT/family | recipe | overall |");
        for (String family : families) {
            table.append(' ').append(family).append(" |");
        }
        table.append(" judged | mean oracle | time |\n|---|---:|---|---:|");
        table.append("---:|".repeat(families.size()));
        table.append("---:|---:|---:|\n");
        for (StudyPoint point : points) {
            table.append("| ")
                    .append(point.size())
                    .append(" | ")
                    .append(point.eftPerFamily())
                    .append(" | ")
                    .append(point.recipe())
                    .append(" | ")
                    .append(cell(point.overall()))
                    .append(" |");
            for (String family : families) {
                JudgeAgreement.Result result = point.families().get(family);
                table.append(' ').append(result == null ? "-" : cell(result)).append(" |");
            }
            table.append(String.format(
                    Locale.ROOT,
                    " %d/%d | %.2f | %s |%n",
                    point.judged(),
                    point.responses(),
                    point.meanOracle(),
                    minutes(point.seconds())));
        }
        return table.toString();
    }

    /** "0.734 (412)": the agreement and the pairs it counts; marked when it reaches the bar. */
    static String cell(JudgeAgreement.Result result) {
        if (result.pairs() == 0 || Double.isNaN(result.agreement())) {
            return "n/a (0)";
        }
        String text = String.format(Locale.ROOT, "%.3f (%d)", result.agreement(), result.pairs());
        return result.agreement() >= StudyPoint.BAR ? "**" + text + "**" : text;
    }

    /** The chart: overall agreement against EFT examples per family, one line per model size and recipe. */
    static void chart(Path file, List<StudyPoint> points) {
        Map<String, List<Charts.Point>> series = new LinkedHashMap<>();
        boolean oneRecipe = points.stream().map(StudyPoint::recipe).distinct().count() <= 1;
        for (StudyPoint point : points) {
            String name = oneRecipe ? point.size() : point.size() + " / " + point.recipe();
            JudgeAgreement.Result overall = point.overall();
            Interval y = overall.pairs() == 0
                    ? new Interval(Double.NaN, Double.NaN, 0)
                    : new Interval(
                            overall.agreement(), StudyPoint.halfWidth(overall), (int) Math.min(overall.pairs(), 1000));
            series.computeIfAbsent(name, n -> new ArrayList<>()).add(new Charts.Point(point.eftPerFamily(), y));
        }
        Charts.line(
                file,
                "M0's self-judge on its own sample pairs",
                "EFT examples per family in M0's SFT",
                "share of pairs ordered like the oracle",
                series,
                new double[] {0.3, 1.0},
                Map.entry(" the bar: " + StudyPoint.BAR, StudyPoint.BAR));
    }

    /** Writes {@code report.md} and {@code judge-agreement.png} into the folder and returns the Markdown file. */
    static Path write(Path folder, String settings, List<StudyPoint> points, Duration took) {
        try {
            Files.createDirectories(folder);
            chart(folder.resolve("judge-agreement.png"), points);
            StringBuilder report = new StringBuilder("# Judge study\n\n");
            report.append("Settings: ").append(settings).append("\n\n");
            report.append(String.format(
                    Locale.ROOT,
                    "%d point(s); the last invocation took %s (each point's own wall time is in the table).%n%n",
                    points.size(),
                    minutes(took.toMillis() / 1000.0)));
            report.append(verdict(points)).append("\n\n");
            report.append(
                    "Agreement: the share of pairs of M0's own samples to one held-out prompt, among those the oracle"
                            + " grades differently, that M0 as the judge (mean score of its judgments) orders the same"
                            + " way; a tie counts half. In brackets: the pairs counted. Bold: at or above "
                            + StudyPoint.BAR + ".\n\n");
            report.append(table(points)).append('\n');
            report.append("![judge agreement](judge-agreement.png)\n");
            Path file = folder.resolve("report.md");
            Files.writeString(file, report.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the judge study's report into " + folder, e);
        }
    }

    /** Whether any point reached the bar on any family, said plainly. */
    static String verdict(List<StudyPoint> points) {
        List<String> reached = new ArrayList<>();
        for (StudyPoint point : points) {
            point.families().forEach((family, result) -> {
                if (result.pairs() > 0 && result.agreement() >= StudyPoint.BAR) {
                    reached.add(String.format(
                            Locale.ROOT,
                            "%s, %d EFT/family, %s: %s %.3f over %d pairs",
                            point.size(),
                            point.eftPerFamily(),
                            point.recipe(),
                            family,
                            result.agreement(),
                            result.pairs()));
                }
            });
        }
        if (reached.isEmpty()) {
            double best = points.stream()
                    .flatMap(p -> p.families().values().stream())
                    .filter(r -> r.pairs() > 0)
                    .mapToDouble(JudgeAgreement.Result::agreement)
                    .max()
                    .orElse(Double.NaN);
            return String.format(
                    Locale.ROOT,
                    "No point reached %.2f on any family (best family agreement: %s).",
                    StudyPoint.BAR,
                    Double.isNaN(best) ? "n/a" : String.format(Locale.ROOT, "%.3f", best));
        }
        return "Reached " + StudyPoint.BAR + " on: " + String.join("; ", reached) + ".";
    }

    private static List<String> families(List<StudyPoint> points) {
        List<String> ordered = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (StudyPoint point : points) {
            for (String family : point.families().keySet()) {
                if (seen.add(family)) {
                    ordered.add(family);
                }
            }
        }
        return ordered;
    }

    private static String minutes(double seconds) {
        return String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }
}
