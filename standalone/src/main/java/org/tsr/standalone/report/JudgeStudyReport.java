package org.tsr.standalone.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.tsr.tasks.JudgeAgreement;

/**
 * The judge study's figures: per grid point (model size, EFT examples per family, recipe), how often M0's self-judge
 * orders pairs of its own samples to one held-out prompt the way the oracle does, per family and overall; and the
 * Markdown table and chart of that curve.
 */
public final class JudgeStudyReport {

    /** The share of pairs a useful judge must order right (DESIGN.md section 4: gains need about 90%). */
    public static final double BAR = 0.90;

    private JudgeStudyReport() {}

    /**
     * One sampled response to a held-out prompt.
     *
     * @param judge the self-judge's mean score, null when none of its judgments had a score
     * @param oracle the oracle's grade, 1 to 5
     */
    public record Sample(String family, String prompt, String response, Double judge, int oracle) {}

    /**
     * The figures of one grid point.
     *
     * @param families agreement per family, in the order the families first appear
     * @param overall agreement over every family's pairs, each pair weighing the same
     * @param responses responses sampled (held-out prompts times K)
     * @param judged responses the judge gave at least one valid score
     * @param meanOracle the mean oracle grade of M0's samples
     * @param seconds the point's wall time, from registering its suite to its last judgment
     */
    public record Point(
            String size,
            int eftPerFamily,
            String recipe,
            Map<String, JudgeAgreement.Result> families,
            JudgeAgreement.Result overall,
            int responses,
            int judged,
            double meanOracle,
            double seconds) {

        /** Whether some family's agreement reaches the bar. */
        public boolean reachesBar() {
            return families.values().stream().anyMatch(r -> r.pairs() > 0 && r.agreement() >= BAR);
        }
    }

    /** The points by size (smallest first), then EFT budget, then recipe. */
    public static List<Point> ordered(List<Point> points) {
        List<String> sizes = List.of("tiny", "small", "medium");
        return points.stream()
                .sorted(Comparator.comparingInt((Point p) -> {
                            int known = sizes.indexOf(p.size());
                            return known < 0 ? sizes.size() : known;
                        })
                        .thenComparing(Point::size)
                        .thenComparingInt(Point::eftPerFamily)
                        .thenComparing(Point::recipe))
                .toList();
    }

    /** Groups the samples by family and prompt and measures the judge's agreement with the oracle. */
    public static Point point(String size, int eftPerFamily, String recipe, List<Sample> samples, double seconds) {
        Map<String, Map<String, List<JudgeAgreement.Scored>>> byFamily = new LinkedHashMap<>();
        int judged = 0;
        double oracleSum = 0;
        for (Sample sample : samples) {
            byFamily.computeIfAbsent(sample.family(), f -> new LinkedHashMap<>())
                    .computeIfAbsent(sample.prompt(), p -> new ArrayList<>())
                    .add(new JudgeAgreement.Scored(sample.judge(), sample.oracle()));
            if (sample.judge() != null) {
                judged++;
            }
            oracleSum += sample.oracle();
        }
        Map<String, JudgeAgreement.Result> families = new LinkedHashMap<>();
        JudgeAgreement.Result overall = new JudgeAgreement.Result(0, Double.NaN);
        for (Map.Entry<String, Map<String, List<JudgeAgreement.Scored>>> family : byFamily.entrySet()) {
            JudgeAgreement.Result result =
                    JudgeAgreement.ofPrompts(List.copyOf(family.getValue().values()));
            families.put(family.getKey(), result);
            overall = overall.plus(result);
        }
        return new Point(
                size,
                eftPerFamily,
                recipe,
                families,
                overall,
                samples.size(),
                judged,
                samples.isEmpty() ? Double.NaN : oracleSum / samples.size(),
                seconds);
    }

    /**
     * Half the width of a 95% interval of an agreement over {@code pairs} pairs (normal approximation to the
     * binomial; pairs of one prompt are not independent, so it is on the narrow side).
     */
    public static double halfWidth(JudgeAgreement.Result result) {
        if (result.pairs() == 0 || Double.isNaN(result.agreement())) {
            return Double.NaN;
        }
        double p = result.agreement();
        return 1.96 * Math.sqrt(p * (1 - p) / result.pairs());
    }

    /** The Markdown table: one row per point, overall and per-family agreement with the pairs each counts. */
    public static String table(List<Point> points) {
        List<String> families = families(points);
        StringBuilder table = new StringBuilder("| size | EFT/family | recipe | overall |");
        for (String family : families) {
            table.append(' ').append(family).append(" |");
        }
        table.append(" judged | mean oracle | time |\n|---|---:|---|---:|");
        table.append("---:|".repeat(families.size()));
        table.append("---:|---:|---:|\n");
        for (Point point : points) {
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
        return result.agreement() >= BAR ? "**" + text + "**" : text;
    }

    /** The chart: overall agreement against EFT examples per family, one line per model size and recipe. */
    public static void chart(Path file, List<Point> points) {
        Map<String, List<Charts.Point>> series = new LinkedHashMap<>();
        boolean oneRecipe = points.stream().map(Point::recipe).distinct().count() <= 1;
        for (Point point : points) {
            String name = oneRecipe ? point.size() : point.size() + " / " + point.recipe();
            JudgeAgreement.Result overall = point.overall();
            Interval y = overall.pairs() == 0
                    ? new Interval(Double.NaN, Double.NaN, 0)
                    : new Interval(overall.agreement(), halfWidth(overall), (int) Math.min(overall.pairs(), 1000));
            series.computeIfAbsent(name, n -> new ArrayList<>()).add(new Charts.Point(point.eftPerFamily(), y));
        }
        Charts.line(
                file,
                "M0's self-judge on its own sample pairs",
                "EFT examples per family in M0's SFT",
                "share of pairs ordered like the oracle",
                series,
                new double[] {0.3, 1.0},
                Map.entry(" the bar: " + BAR, BAR));
    }

    /** Writes {@code report.md} and {@code judge-agreement.png} into the folder and returns the Markdown file. */
    public static Path write(Path folder, String settings, List<Point> points, Duration took) {
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
                            + BAR + ".\n\n");
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
    public static String verdict(List<Point> points) {
        List<String> reached = new ArrayList<>();
        for (Point point : points) {
            point.families().forEach((family, result) -> {
                if (result.pairs() > 0 && result.agreement() >= BAR) {
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
                    BAR,
                    Double.isNaN(best) ? "n/a" : String.format(Locale.ROOT, "%.3f", best));
        }
        return "Reached " + BAR + " on: " + String.join("; ", reached) + ".";
    }

    private static List<String> families(List<Point> points) {
        List<String> ordered = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (Point point : points) {
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
