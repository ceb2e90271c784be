package org.tsr.standalone.judgestudy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tsr.standalone.judgestudy.StudyPointTest.sample;
import static org.tsr.standalone.judgestudy.StudyPointTest.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeStudyReportTest {

    @TempDir
    Path folder;

    @Test
    void theTableHasARowPerPointAndAColumnPerFamily() {
        StudyPoint low = StudyPoint.measure("tiny", 50, "suite", samples(), 90);
        StudyPoint high = StudyPoint.measure(
                "small",
                150,
                "suite",
                List.of(sample("count", "count a: aab", 5.0, 5), sample("count", "count a: aab", 1.0, 2)),
                600);
        List<StudyPoint> points = StudyPoint.ordered(List.of(high, low));
        assertThat(points).containsExactly(low, high);
        String table = JudgeStudyReport.table(points);
        assertThat(table.lines().toList())
                .hasSize(4)
                .first()
                .isEqualTo(
                        "| size | EFT/family | recipe | overall | sort | add | count | judged | mean oracle | time |");
        assertThat(table)
                .contains("| tiny | 50 | suite | 0.583 (6) | 0.600 (5) | 0.500 (1) | - | 8/9 | 3.00 | 1.5 min |")
                .contains("| small | 150 | suite | **1.000 (1)** | - | - | **1.000 (1)** | 2/2 | 3.50 | 10.0 min |");
        assertThat(JudgeStudyReport.verdict(points))
                .isEqualTo("Reached 0.9 on: small, 150 EFT/family, suite: count 1.000 over 1 pairs.");
        assertThat(JudgeStudyReport.verdict(List.of(low)))
                .isEqualTo("No point reached 0.90 on any family (best family agreement: 0.600).");
    }

    @Test
    void theReportHasTheTableAndTheChart() throws Exception {
        StudyPoint point = StudyPoint.measure("tiny", 50, "suite", samples(), 90);
        Path report = JudgeStudyReport.write(folder, "a grid", List.of(point), Duration.ofMinutes(3));
        assertThat(Files.readString(report))
                .contains("Settings: a grid", "1 point(s); the last invocation took 3.0 min", "| tiny | 50 | suite |")
                .contains("![judge agreement](judge-agreement.png)");
        assertThat(Files.size(folder.resolve("judge-agreement.png"))).isGreaterThan(1000);
    }

    @Test
    void aPointWithoutJudgedPairsIsNotApplicable() {
        StudyPoint point = StudyPoint.measure(
                "tiny",
                5,
                "suite",
                List.of(sample("sort", "sort: ab", null, 5), sample("sort", "sort: ab", null, 1)),
                1);
        assertThat(JudgeStudyReport.cell(point.overall())).isEqualTo("n/a (0)");
    }
}
