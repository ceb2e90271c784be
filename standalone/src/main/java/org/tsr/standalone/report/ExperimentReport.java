package org.tsr.standalone.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the experiment's report into its folder: {@code summary.json} ({@link ExperimentSummary}), the charts
 * ({@link ReportCharts}) and {@code report.md}, which puts together the verdict ({@link Verdict}), the tables
 * ({@link SummaryTables}, {@link FiguresTable}) and where the time went ({@link TimeSplit}).
 */
public final class ExperimentReport {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ExperimentReport() {}

    /** Writes the report into the folder and returns the Markdown file. */
    public static Path write(Path folder, String settings, List<SeedRuns> seeds, Duration took) {
        ExperimentSummary summary = ExperimentSummary.of(seeds);
        write(folder.resolve("summary.json"), JSON.writeValueAsString(summary));
        ReportCharts.write(folder.resolve("charts"), seeds, summary);
        Path report = folder.resolve("report.md");
        write(report, markdown(settings, seeds, took, summary));
        return report;
    }

    /** The figures table, as printed at the end of {@code tsr demo}. */
    public static String summaryTable(List<SeedRuns> seeds) {
        return FiguresTable.of(seeds);
    }

    private static String markdown(String settings, List<SeedRuns> seeds, Duration took, ExperimentSummary summary) {
        StringBuilder md = new StringBuilder();
        md.append("# Self-Rewarding (SR) vs Temporal Self-Rewarding (TSR) on the built-in task suite\n\n");
        md.append("Settings: ").append(settings).append(".\n\n");
        md.append("Training executor: ")
                .append(summary.trainerExecutor() == null ? "none (no DPO job started)" : summary.trainerExecutor())
                .append(".\n\n");
        md.append("Took ")
                .append(clock(took))
                .append(" in all (M0's SFT: ")
                .append(seeds.stream()
                        .map(s -> String.format(Locale.ROOT, "%.0f s", s.sftSeconds()))
                        .toList())
                .append(").\n\n");
        for (SeedRuns seed : seeds) {
            seed.failures()
                    .forEach(
                            failure -> md.append("**Failed:** ").append(failure).append("\n\n"));
        }
        md.append("## Verdict\n\n").append(Verdict.of(seeds, summary)).append("\n\n");
        md.append("## Final win rate against M0 per judge\n\n")
                .append(SummaryTables.finalWinRates(summary))
                .append("\n");
        md.append("## Compute per run\n\n")
                .append(SummaryTables.compute(summary))
                .append("\n");
        md.append("## Figures per iteration\n\n");
        md.append("Means over ")
                .append(seeds.size())
                .append(" seed(s)")
                .append(seeds.size() > 1 ? ", ± the half-width of the 95% interval" : "")
                .append(".\n\n");
        md.append("```\n").append(FiguresTable.of(seeds)).append("```\n\n");
        md.append("Columns: win rate of the iteration's trained policy against M0 on the held-out set (oracle-graded,"
                + " ties count half), its mean oracle score (1-5) and exact-answer share; pairs in the dataset the"
                + " policy trained on (SR: best vs worst; TSR: D2), their mean judge-score gap and hidden-state cosine;"
                + " the DPO reward margin at the last logged step; the share of the policy's own sample pairs its"
                + " judge ordered as the oracle does; the share of trained pairs whose chosen response the oracle also"
                + " prefers.\n\n");
        md.append("## Charts\n\n");
        for (String chart : ReportCharts.NAMES) {
            md.append("![").append(chart).append("](charts/").append(chart).append(".png)\n\n");
        }
        md.append("## Where the time went\n\n")
                .append("The runs went one after another, each with the machine to itself.\n\n")
                .append(TimeSplit.of(seeds))
                .append("\n");
        md.append("Raw figures: `summary.json` (documented in docs/experiment.md), `reports/<method>-seed-<n>.json`"
                + " (the gateway's `GET /api/v1/runs/{id}/report`); the suite each seed used:"
                + " `suite-seed-<n>.jsonl`.\n");
        return md.toString();
    }

    private static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
