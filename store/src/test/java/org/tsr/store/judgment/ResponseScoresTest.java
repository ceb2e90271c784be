package org.tsr.store.judgment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.RunMethod;
import org.tsr.store.testing.StoreFixtures;

@SpringBootTest
class ResponseScoresTest {

    @Autowired
    JudgmentRepository judgments;

    @Autowired
    ResponseScores scores;

    @Autowired
    ResponseWriter writer;

    @Autowired
    ResponseRepository responses;

    @Autowired
    StoreFixtures fixtures;

    @Test
    void scoreIsTheMeanOfValidJudgmentsWithTheirVariance() {
        ModelGeneration judge = fixtures.m0();
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.SR, judge), 0, judge);
        Prompt prompt = fixtures.prompts(1).get(0);
        writer.saveAll(List.of(
                new NewResponse(
                        prompt.getId(),
                        judge.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        0,
                        "r0",
                        1,
                        FinishReason.STOP),
                new NewResponse(
                        prompt.getId(),
                        judge.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        1,
                        "r1",
                        1,
                        FinishReason.STOP)));
        List<Response> stored = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.POLICY);
        long scored = stored.get(0).getId();
        long unscored = stored.get(1).getId();

        judgments.saveAll(List.of(
                Judgment.scored(scored, judge.getId(), 0, "fine. Score: 4", 4.0),
                Judgment.scored(scored, judge.getId(), 1, "good. Score: 5", 5.0),
                Judgment.unparseable(scored, judge.getId(), 2, "I cannot say", "no 'Score: n' in the judgment"),
                Judgment.unparseable(unscored, judge.getId(), 0, "Score: 9", "score 9 is outside 0-5")));

        assertThat(scores.of(scored, judge.getId())).hasValueSatisfying(score -> {
            assertThat(score.judgments()).isEqualTo(3);
            assertThat(score.validJudgments()).isEqualTo(2);
            assertThat(score.meanScore()).isCloseTo(4.5, within(1e-12));
            assertThat(score.scoreVariance()).isCloseTo(0.25, within(1e-12));
        });
        assertThat(scores.of(unscored, judge.getId())).hasValueSatisfying(score -> {
            assertThat(score.isScored()).isFalse();
            assertThat(score.meanScore()).isNull();
        });
        assertThat(scores.ofIteration(iteration.getId(), judge.getId()))
                .extracting(ResponseScore::responseId)
                .containsExactly(scored, unscored);
    }

    @Test
    void aJudgmentSampleIsStoredOnce() {
        ModelGeneration judge = fixtures.m0();
        Prompt prompt = fixtures.prompts(1).get(0);
        writer.saveAll(List.of(new NewResponse(
                prompt.getId(), judge.getId(), null, ResponsePurpose.EVAL, 0, "r", 1, FinishReason.STOP)));
        long responseId = responses.findAll().stream()
                .filter(r -> r.getPromptId().equals(prompt.getId()))
                .findFirst()
                .orElseThrow()
                .getId();
        judgments.saveAndFlush(Judgment.scored(responseId, judge.getId(), 0, "Score: 3", 3.0));

        assertThatThrownBy(() -> judgments.saveAndFlush(Judgment.scored(responseId, judge.getId(), 0, "Score: 3", 3.0)))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("judgment_sample_unique");
    }
}
