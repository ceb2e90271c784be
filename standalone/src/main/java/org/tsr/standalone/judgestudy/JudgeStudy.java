package org.tsr.standalone.judgestudy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tsr.standalone.console.ProgressView;
import org.tsr.standalone.experiment.ModelSize;
import org.tsr.standalone.local.GatewayClient;
import org.tsr.standalone.local.LocalPlatform;
import org.tsr.tasks.JudgeFormat;

/**
 * The judge study, driven through the gateway's REST API: per model size, EFT budget and recipe, measures how often
 * M0's self-judge orders pairs of its own samples like the oracle ({@link PointMeasurement}), keeps every point in the
 * output folder ({@link StudyFolder}) and writes the report ({@link JudgeStudyReport}) after each.
 */
public final class JudgeStudy {

    private final JudgeStudySettings settings;
    private final PrintWriter out;
    private final ProgressView progress;

    public JudgeStudy(JudgeStudySettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
        this.progress = new ProgressView(out, System.console() != null);
    }

    public void run() {
        Instant started = Instant.now();
        StudyFolder folder = new StudyFolder(settings.out().toAbsolutePath().normalize());
        LocalPlatform.preflight(folder.path(), settings.port());
        List<StudyPoint> earlier = folder.earlierPoints(fixedSettings());
        out.println("Output folder: " + folder.path());
        if (settings.sizes().stream()
                .allMatch(size -> settings.eftBudgets().stream()
                        .allMatch(budget -> missing(earlier, size, budget).isEmpty()))) {
            Path report = JudgeStudyReport.write(
                    folder.path(), describe(), earlier, Duration.between(started, Instant.now()));
            out.println("Every point was measured earlier in this folder; report and chart written again: " + report);
            out.println(JudgeStudyReport.verdict(earlier));
            return;
        }
        try (LocalPlatform.Running platform = LocalPlatform.start(
                folder.path(),
                settings.port(),
                settings.dbUrl(),
                settings.dbUser(),
                settings.dbPassword(),
                out,
                started)) {
            GatewayClient api = platform.api();
            PointMeasurement measurement = new PointMeasurement(settings, api, folder, progress);
            List<StudyPoint> points = new ArrayList<>(earlier);
            if (!earlier.isEmpty()) {
                out.println("Keeping the " + earlier.size() + " point(s) measured earlier in this folder with the"
                        + " same settings; they are not measured again");
            }
            // budget by budget, every size at each, so that a study stopped early has compared the sizes
            Map<ModelSize, Long> bases = new EnumMap<>(ModelSize.class);
            int index = 0;
            int total = settings.eftBudgets().size() * settings.sizes().size();
            for (int budget : settings.eftBudgets()) {
                for (ModelSize size : settings.sizes()) {
                    index++;
                    String name = size.name().toLowerCase(Locale.ROOT);
                    List<JudgeStudySettings.Recipe> missing = missing(earlier, size, budget);
                    out.println();
                    out.println(String.format(
                            Locale.ROOT,
                            "Point %d of %d: %s, %d EFT examples per family%s",
                            index,
                            total,
                            name,
                            budget,
                            missing.isEmpty() ? ": measured earlier in this folder, kept" : ""));
                    if (missing.isEmpty()) {
                        continue;
                    }
                    long baseId = bases.computeIfAbsent(size, measurement::registerBase);
                    points.addAll(measurement.measure(
                            size, baseId, budget, missing, (point, samples) -> measured(folder, point, samples)));
                    points = new ArrayList<>(StudyPoint.ordered(points));
                    // the figures so far, so that a study stopped early still leaves its table
                    JudgeStudyReport.write(folder.path(), describe(), points, Duration.between(started, Instant.now()));
                    folder.save(fixedSettings(), points);
                }
            }
            Duration took = Duration.between(started, Instant.now());
            Path report = JudgeStudyReport.write(folder.path(), describe(), points, took);
            out.println();
            out.println(JudgeStudyReport.table(points));
            out.println(JudgeStudyReport.verdict(points));
            out.println("Finished in " + ProgressView.clock(took) + ". Report: " + report);
        }
    }

    /** Keeps a point's judged samples in the folder and tells its figures in one line. */
    private void measured(StudyFolder folder, StudyPoint point, List<JudgedSample> samples) {
        folder.writeSamples(point.size() + "-eft-" + point.eftPerFamily() + "-" + point.recipe(), samples);
        out.println(String.format(
                Locale.ROOT,
                "  %s: agreement %.3f over %d pairs (%s), %d of %d responses judged, mean oracle %.2f, %s",
                point.recipe(),
                point.overall().agreement(),
                point.overall().pairs(),
                perFamily(point),
                point.judged(),
                point.responses(),
                point.meanOracle(),
                ProgressView.clock(Duration.ofMillis((long) (point.seconds() * 1000)))));
    }

    /** The recipes of the grid not yet measured for this size and budget. */
    private List<JudgeStudySettings.Recipe> missing(List<StudyPoint> earlier, ModelSize size, int budget) {
        String name = size.name().toLowerCase(Locale.ROOT);
        return settings.recipes().stream()
                .filter(recipe -> earlier.stream()
                        .noneMatch(p -> p.size().equals(name)
                                && p.eftPerFamily() == budget
                                && p.recipe().equals(recipe.name().toLowerCase(Locale.ROOT))))
                .toList();
    }

    private static String perFamily(StudyPoint point) {
        List<String> parts = new ArrayList<>();
        point.families()
                .forEach((family, result) -> parts.add(
                        String.format(Locale.ROOT, "%s %.3f/%d", family, result.agreement(), result.pairs())));
        return String.join(", ", parts);
    }

    private String describe() {
        return "this invocation's grid: sizes "
                + settings.sizes().stream()
                        .map(s -> s.name().toLowerCase(Locale.ROOT))
                        .toList()
                + ", EFT examples per family " + settings.eftBudgets() + ", recipes "
                + settings.recipes().stream()
                        .map(r -> r.name().toLowerCase(Locale.ROOT))
                        .toList()
                + "; " + fixedSettings();
    }

    /** Everything but the grid: points measured with the same fixed settings can share a report. */
    private String fixedSettings() {
        return "families " + settings.families() + ", " + settings.iftPerFamily() + " IFT examples per family, "
                + settings.sftEpochs() + " SFT epochs (lr 3e-3 cosine to 3e-4, batch 16), "
                + settings.evalPerFamily() + " held-out prompts per family, K " + settings.samples()
                + " samples per prompt at temperature 1.0 (max " + PointMeasurement.MAX_ANSWER_TOKENS + " tokens), "
                + settings.judgeSamples() + " judgments per response at temperature 1.0 (mean score, template '"
                + JudgeFormat.TEMPLATE + "'), seed " + settings.seed();
    }
}
