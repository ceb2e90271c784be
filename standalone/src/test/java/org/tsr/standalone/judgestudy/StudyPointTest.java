package org.tsr.standalone.judgestudy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StudyPointTest {

    static JudgedSample sample(String family, String prompt, Double judge, int oracle) {
        return new JudgedSample(family, prompt, "r", judge, oracle, List.of());
    }

    /** sort: 2 prompts, 3 + 1 pairs the oracle tells apart; add: 1 prompt, a tie and an unjudged response. */
    static List<JudgedSample> samples() {
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
        StudyPoint point = StudyPoint.measure("tiny", 50, "suite", samples(), 90);
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
    void pointsAreOrderedBySizeThenBudget() {
        StudyPoint small = StudyPoint.measure("small", 50, "suite", samples(), 1);
        StudyPoint tinyMore = StudyPoint.measure("tiny", 150, "suite", samples(), 1);
        StudyPoint tiny = StudyPoint.measure("tiny", 50, "suite", samples(), 1);
        assertThat(StudyPoint.ordered(List.of(small, tinyMore, tiny))).containsExactly(tiny, tinyMore, small);
    }

    @Test
    void aPointWithoutJudgedPairsHasNoInterval() {
        StudyPoint point = StudyPoint.measure(
                "tiny",
                5,
                "suite",
                List.of(sample("sort", "sort: ab", null, 5), sample("sort", "sort: ab", null, 1)),
                1);
        assertThat(point.overall().pairs()).isZero();
        assertThat(Double.isNaN(StudyPoint.halfWidth(point.overall()))).isTrue();
    }
}
