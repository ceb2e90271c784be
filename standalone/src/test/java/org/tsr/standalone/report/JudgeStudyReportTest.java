package org.tsr.standalone.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.standalone.report.JudgeStudyReport.Point;
import org.tsr.standalone.report.JudgeStudyReport.Sample;

class JudgeStudyReportTest {

    @TempDir
    Path folder;

    private static Sample sample(String family, String prompt, Double judge, int oracle) {
        return new Sample(family, prompt, "r", judge, oracle);
    }

    /** sort: 2 prompts, 3 + 1 pairs the oracle tells apart; add: 1 prompt, a tie and an unjudged response. */
    private static List<Sample> samples() {
        return List.of(
                // sort: 5 > 3 > 1, the judge orders 5 > 3 and 5 > 1 right and 3 < 1 wrong: 2 of 3
                sample("sort", "sort: cba", 4.0, 5),
                sample("sort", "sort: cba", 2.0, 3),
                sample("sort", "sort: cba", 3.0, 1),
                // a pair the oracle grades alike does not count, the other one is right: 1 of 1
                sample("sort", "sort: dca", 4.5, 4),
                sample("sort", "sort: dca", 1.0, 4),
                sample("sort", "sort: dca", 2.0, 2),
                // add: judge tie on an oracle difference (half), an unjudged response (left out)
                sample("add", "add: 1+2", 3.0, 5),
                sample("add", "add: 1+2", 3.0, 2),
                sample("add", "add: 1+2", null, 1));
    }

    @Test
    void agreementIsCountedPerFamilyAndOverPairs() {
        Point point = JudgeStudyReport.point("tiny", 50, "suite", samples(), 90);
        // sort: pairs (5,3) right, (5,1) right, (3,1) wrong; (4,4) skipped; (4a,2) right, (4b,2) wrong
        assertThat(point.families().keySet()).containsExactly("sort", "add");
        assertThat(point.families().get("sort").pairs()).isEqualTo(5);
        assertThat(point.families().get("sort").agreement()).isCloseTo(3.0 / 5, within(1e-9));
        assertThat(point.families().get("add").pairs()).isEqualTo(1);
        assertThat(point.families().get("add").agreement()).isCloseTo(0.5, within(1e-9));
        assertThat(point.overall().pairs()).isEqualTo(6);
        assertThat(point.overall().agreement()).isCloseTo(3.5 / 6, within(1e-9));
        assertThat(point.responses()).isEqualTo(9);
        assertThat(point.judged()).isEqualTo(8);
        assertThat(point.meanOracle()).isCloseTo(27.0 / 9, within(1e-9));
        assertThat(point.reachesBar()).isFalse();
    }

    @Test
    void theTableHasARowPerPointAndAColumnPerFamily() {
        Point low = JudgeStudyReport.point("tiny", 50, "suite", samples(), 90);
        Point high = JudgeStudyReport.point(
                "small",
                150,
                "suite",
                List.of(sample("count", "count a: aab", 5.0, 5), sample("count", "count a: aab", 1.0, 2)),
                600);
        List<Point> points = JudgeStudyReport.ordered(List.of(high, low));
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
        Point point = JudgeStudyReport.point("tiny", 50, "suite", samples(), 90);
        Path report = JudgeStudyReport.write(folder, "a grid", List.of(point), Duration.ofMinutes(3));
        assertThat(Files.readString(report))
                .contains("Settings: a grid", "1 point(s); the last invocation took 3.0 min", "| tiny | 50 | suite |")
                .contains("![judge agreement](judge-agreement.png)");
        assertThat(Files.size(folder.resolve("judge-agreement.png"))).isGreaterThan(1000);
    }

    @Test
    void aPointWithoutJudgedPairsIsNotApplicable() {
        Point point = JudgeStudyReport.point(
                "tiny",
                5,
                "suite",
                List.of(sample("sort", "sort: ab", null, 5), sample("sort", "sort: ab", null, 1)),
                1);
        assertThat(point.overall().pairs()).isZero();
        assertThat(JudgeStudyReport.cell(point.overall())).isEqualTo("n/a (0)");
        assertThat(Double.isNaN(JudgeStudyReport.halfWidth(point.overall()))).isTrue();
    }
}
