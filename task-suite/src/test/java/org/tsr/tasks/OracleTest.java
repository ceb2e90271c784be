package org.tsr.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OracleTest {

    @Test
    void sortingEarnsFullMarksOnlyForTheSortedLettersAlone() {
        assertThat(score("sort", "sort: dbca", "abcd", "abcd")).isEqualTo(5);
        assertThat(score("sort", "sort: dbca", "abcd", " abcd\n")).isEqualTo(5);
        assertThat(score("sort", "sort: dbca", "abcd", "abdc")).isEqualTo(4);
        assertThat(score("sort", "sort: dbca", "abcd", "dcba")).isEqualTo(3);
        assertThat(score("sort", "sort: dbca", "abcd", "abce")).isEqualTo(2);
        assertThat(score("sort", "sort: dbca", "abcd", "ab")).isEqualTo(1);
    }

    @Test
    void extraneousTextCostsTwoPointsOnARightAnswerAndOneOnAPartlyRightOne() {
        assertThat(Oracle.grade("reverse", "reverse: abc", "cba", "cba ok"))
                .isEqualTo(new Grade(3, "right, extra text"));
        assertThat(score("reverse", "reverse: abcd", "dcba", "dcab is it")).isEqualTo(3);
        assertThat(score("reverse", "reverse: abcd", "dcba", "xy ok")).isEqualTo(1);
    }

    @Test
    void numbersEarnPartialCreditByDistance() {
        assertThat(score("add", "add: 23+45", "68", "68")).isEqualTo(5);
        assertThat(score("add", "add: 23+45", "68", "67")).isEqualTo(4);
        assertThat(score("add", "add: 23+45", "68", "75")).isEqualTo(3);
        assertThat(score("add", "add: 23+45", "68", "2345")).isEqualTo(2);
        assertThat(score("add", "add: 23+45", "68", "six")).isEqualTo(1);
        assertThat(score("count", "count a: abacad", "3", "4")).isEqualTo(3);
        assertThat(score("count", "count a: abacad", "3", "7")).isEqualTo(2);
        assertThat(score("count", "count a: abacad", "3", "")).isEqualTo(1);
    }

    @Test
    void otherFamiliesAreGradedAgainstTheirReference() {
        assertThat(score("translation", "say hi in French", "salut", "salut")).isEqualTo(5);
        assertThat(score(null, "say hi in French", "salut", "salut !")).isEqualTo(3);
        assertThat(score(null, "say hi in French", "salut", "hello")).isEqualTo(1);
        assertThatThrownBy(() -> Oracle.grade(null, "say hi", null, "hello"))
                .hasMessage("prompt 'say hi' has no reference answer to grade against");
    }

    @Test
    void theJudgmentEndsInTheScoreTheJudgeParserReads() {
        assertThat(new Grade(4, "off by one").judgment()).isEqualTo("off by one. Score: 4");
        assertThatThrownBy(() -> new Grade(6, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static int score(String family, String prompt, String reference, String response) {
        return Oracle.grade(family, prompt, reference, response).score();
    }
}
