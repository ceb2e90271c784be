package org.tsr.judge.pairwise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void aWinnerNeedsBothOrdersToAgree() {
        assertThat(Verdict.combine(1, 2)).isEqualTo(Verdict.FIRST);
        assertThat(Verdict.combine(2, 1)).isEqualTo(Verdict.SECOND);
    }

    @Test
    void positionBiasAndNonAnswersAreTies() {
        assertThat(Verdict.combine(1, 1))
                .as("always prefers the answer shown first")
                .isEqualTo(Verdict.TIE);
        assertThat(Verdict.combine(2, 2))
                .as("always prefers the answer shown second")
                .isEqualTo(Verdict.TIE);
        assertThat(Verdict.combine(0, 2)).isEqualTo(Verdict.TIE);
        assertThat(Verdict.combine(1, 0)).isEqualTo(Verdict.TIE);
    }

    @Test
    void readsTheLastChoiceOfTheJudge() {
        assertThat(PairwiseTemplate.preferred("Answer 1 is wrong. Better: 2")).isEqualTo(2);
        assertThat(PairwiseTemplate.preferred("**Better:** 1")).isEqualTo(1);
        assertThat(PairwiseTemplate.preferred("Better: 1 ... no, Better: 2")).isEqualTo(2);
        assertThat(PairwiseTemplate.preferred("both are fine")).isZero();
    }

    @Test
    void templateNeedsBothAnswers() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PairwiseTemplate.of("{prompt} {first}"))
                .hasMessageContaining("{second}");
        assertThat(PairwiseTemplate.of("{prompt}|{first}|{second}").render("p", "{second}", "b"))
                .isEqualTo("p|{second}|b");
    }
}
