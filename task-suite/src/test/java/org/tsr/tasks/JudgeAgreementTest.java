package org.tsr.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsr.tasks.JudgeAgreement.Scored;

class JudgeAgreementTest {

    @Test
    void countsOnlyPairsTheReferenceTellsApartAndJudgeTiesAsHalf() {
        // reference orders a > b > c, c = d; the judge: a > b right, a = c tie, b < c wrong; (c, d) not counted
        List<Scored> prompt = List.of(new Scored(4.0, 5), new Scored(3.0, 4), new Scored(4.0, 2), new Scored(1.0, 2));
        JudgeAgreement.Result result = JudgeAgreement.ofPrompt(prompt);
        // pairs: ab agree, ac tie, ad agree, bc disagree, bd agree -> (3 + 0.5) / 5
        assertThat(result.pairs()).isEqualTo(5);
        assertThat(result.agreement()).isEqualTo(0.7);
    }

    @Test
    void responsesWithoutAJudgeScoreAreLeftOutAndPromptsPoolByPair() {
        JudgeAgreement.Result result = JudgeAgreement.ofPrompts(List.of(
                List.of(new Scored(null, 5), new Scored(2.0, 1)),
                List.of(new Scored(5.0, 5), new Scored(2.0, 1)),
                List.of(new Scored(1.0, 5), new Scored(2.0, 1), new Scored(3.0, 3))));
        assertThat(result.pairs()).isEqualTo(4);
        assertThat(result.agreement()).isEqualTo(0.5);
        assertThat(JudgeAgreement.ofPrompts(List.of()).agreement()).isNaN();
    }
}
