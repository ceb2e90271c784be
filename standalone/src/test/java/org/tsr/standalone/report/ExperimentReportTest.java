package org.tsr.standalone.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The report written from saved run reports, as {@code tsr demo} writes it at the end. */
class ExperimentReportTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    @Test
    void numbersAreWrittenWithDecimalPointsWhateverTheDefaultLocale() throws Exception {
        List<SeedRuns> seeds = List.of(seed(1, 0.0), seed(2, 0.125));
        Path german = Files.createDirectories(work.resolve("german"));
        Path root = Files.createDirectories(work.resolve("root"));
        Locale before = Locale.getDefault();
        String table;
        try {
            Locale.setDefault(Locale.GERMANY);
            ExperimentReport.write(german, "two seeds", seeds, Duration.ofSeconds(754));
            table = ExperimentReport.summaryTable(seeds);
            Locale.setDefault(Locale.ROOT);
            ExperimentReport.write(root, "two seeds", seeds, Duration.ofSeconds(754));
        } finally {
            Locale.setDefault(before);
        }

        String report = Files.readString(german.resolve("report.md"));
        String summary = Files.readString(german.resolve("summary.json"));
        assertThat(report)
                .contains("Took 12 min 34 s in all (M0's SFT: [90 s, 90 s])")
                .contains("| SR | self | 0.750 | 2 | 0.613 | [")
                .contains("0.50")
                .contains(" 0.61 ± 0.79 ")
                .contains("- SR: 194 s in iteration phases, of which 8.0 s (4.1%) with none")
                .doesNotContainPattern("\\d,\\d");
        assertThat(table).contains(" 0.61 ± 0.79 ").doesNotContainPattern("\\d,\\d");
        assertThat(summary).contains("\"exact_rate\" : 0.25").doesNotContainPattern("\\d,\\d");
        assertThat(JSON.readTree(summary)
                        .get("groups")
                        .get(0)
                        .get("final_win_rate")
                        .asDouble())
                .isCloseTo(0.6125, within(1e-9));

        assertThat(report).isEqualTo(Files.readString(root.resolve("report.md")));
        assertThat(summary).isEqualTo(Files.readString(root.resolve("summary.json")));
        for (String chart : ReportCharts.NAMES) {
            assertThat(Files.readAllBytes(german.resolve("charts").resolve(chart + ".png")))
                    .as(chart + ": the axes' numbers are the same in either locale")
                    .isEqualTo(Files.readAllBytes(root.resolve("charts").resolve(chart + ".png")));
        }
    }

    /** One seed's four runs, SR and TSR judged by themselves and by the oracle, two iterations each. */
    private static SeedRuns seed(long seed, double shift) {
        Map<String, JsonNode> reports = new LinkedHashMap<>();
        Map<String, String> judges = new LinkedHashMap<>();
        for (String judge : List.of("self", "oracle")) {
            for (String method : List.of("SR", "TSR")) {
                String label = judge.equals("self") ? method : method + ", " + judge + " judge";
                reports.put(label, JSON.valueToTree(run(method, judge.equals("oracle") ? 1.0 : 0.75, shift)));
                judges.put(label, judge);
            }
        }
        return new SeedRuns(seed, 10 + seed, 90.25, reports, judges, List.of());
    }

    /** A run's report in the shape of {@code GET /api/v1/runs/{id}/report}, with the figures the report reads. */
    private static Map<String, Object> run(String method, double agreement, double shift) {
        String dataset = method.equals("SR") ? "SR" : "D2";
        List<Object> iterations = new ArrayList<>();
        for (int index = 0; index < 2; index++) {
            Map<String, Object> iteration = new LinkedHashMap<>();
            iteration.put("index", index);
            iteration.put("status", "DONE");
            iteration.put(
                    "evaluation",
                    Map.of(
                            "winRateVsM0", 0.5 + shift + 0.05 * index,
                            "winRateStdError", 0.025,
                            "meanOracleScore", 2.5 + index,
                            "exactMatch", 0.25 + shift,
                            "meanLength", 5.5));
            iteration.put(
                    "judge",
                    Map.of(
                            "agreement",
                            agreement,
                            "pairs",
                            40,
                            "chosenPreferredByOracle",
                            Map.of(dataset, Map.of("share", 0.8, "oracleGap", 1.5 - index))));
            iteration.put(
                    "pairs",
                    Map.of(dataset, Map.of("pairs", 30, "meanScoreGap", 1.25 + shift, "meanHiddenStateCosine", 0.875)));
            iteration.put("training", List.of(Map.of("role", "POLICY", "metrics", Map.of("rewards/margins", 0.125))));
            Map<String, Object> phases = new LinkedHashMap<>();
            phases.put("GENERATING", Map.of("wallSeconds", 20.5, "outsideUnitsSeconds", 0.5));
            phases.put("JUDGING", Map.of("wallSeconds", 10.25, "outsideUnitsSeconds", 0.5));
            phases.put("PAIRING", Map.of("wallSeconds", 1.5, "outsideUnitsSeconds", 0.5));
            phases.put("TRAINING", Map.of("wallSeconds", 12.25, "outsideUnitsSeconds", 0.25));
            phases.put("EVALUATING", Map.of("wallSeconds", 4.0, "outsideUnitsSeconds", 0.25));
            iteration.put("phases", phases);
            iteration.put(
                    "compute",
                    Map.of(
                            "tokensSampled",
                            12000,
                            "judgePromptTokens",
                            agreement == 1.0 ? 0 : 9000,
                            "judgeCompletionTokens",
                            agreement == 1.0 ? 0 : 700,
                            "dpoSteps",
                            8));
            iterations.add(iteration);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("method", method);
        run.put("status", "SUCCEEDED");
        run.put("initialEvaluation", Map.of("meanOracleScore", 2.0, "exactMatch", 0.25, "winRateVsM0", 0.5));
        run.put("iterations", iterations);
        return run;
    }
}
