package org.tsr.judge.rubric;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScoreParserTest {

    final ScoreParser parser = ScoreParser.fivePoint();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Relevant and complete. Score: 4|4.0",
                "score: 3|3.0",
                "**Score:** 5|5.0",
                "Score = 2.5 points|2.5",
                "Score: 4/5, nice work|4.0",
                "First I thought Score: 1, but on reflection Score: 3|3.0",
                "SCORE:0|0.0"
            })
    void readsTheLastScore(String judgment, double expected) {
        assertThat(parser.parse(judgment).score()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "The answer is fine.|no 'Score: <n>' in the judgment",
                "Score: high|no 'Score: <n>' in the judgment",
                "Score: 9|score 9 is outside the rubric's range 0 to 5",
                "Score: -1|score -1 is outside the rubric's range 0 to 5",
                "Score: 5.5|score 5.5 is outside the rubric's range 0 to 5"
            })
    void explainsAJudgmentWithoutAValidScore(String judgment, String reason) {
        ScoreParser.ParsedScore parsed = parser.parse(judgment);

        assertThat(parsed.isValid()).isFalse();
        assertThat(parsed.failure()).isEqualTo(reason);
    }
}
