package org.tsr.store.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.tsr.contract.pairs.PairDataset;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.pair.PreferencePair.Side;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.RunMethod;
import org.tsr.store.testing.StoreFixtures;

@SpringBootTest
class PreferencePairConstraintsTest {

    @Autowired
    PreferencePairRepository pairs;

    @Autowired
    ResponseWriter writer;

    @Autowired
    ResponseRepository responses;

    @Autowired
    StoreFixtures fixtures;

    Iteration iteration;
    Prompt first;
    Prompt second;
    List<Response> firstAnswers;
    Response secondAnswer;

    @BeforeEach
    void twoPromptsWithAnswers() {
        ModelGeneration m0 = fixtures.m0();
        iteration = fixtures.iteration(fixtures.run(RunMethod.TSR, m0), 0, m0);
        List<Prompt> prompts = fixtures.prompts(2);
        first = prompts.get(0);
        second = prompts.get(1);
        List<NewResponse> batch = new ArrayList<>();
        for (int sample = 0; sample < 2; sample++) {
            batch.add(new NewResponse(
                    first.getId(),
                    m0.getId(),
                    iteration.getId(),
                    ResponsePurpose.POLICY,
                    sample,
                    "a" + sample,
                    1,
                    FinishReason.STOP));
        }
        batch.add(new NewResponse(
                second.getId(), m0.getId(), iteration.getId(), ResponsePurpose.ANCHOR, 0, "b", 1, FinishReason.STOP));
        writer.saveAll(batch);
        List<Response> stored = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.POLICY);
        firstAnswers = stored;
        secondAnswer = responses
                .findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(iteration.getId(), ResponsePurpose.ANCHOR)
                .get(0);
    }

    @Test
    void storesAPairOfTwoAnswersToItsPrompt() {
        PreferencePair pair = pairs.saveAndFlush(new PreferencePair(
                iteration.getId(),
                PairDataset.D1,
                first.getId(),
                new Side(firstAnswers.get(0).getId(), 4.5, ResponseSource.POLICY),
                new Side(firstAnswers.get(1).getId(), 2.0, ResponseSource.POLICY)));

        assertThat(pairs.findByIterationIdAndDatasetOrderByPromptId(iteration.getId(), PairDataset.D1))
                .singleElement()
                .satisfies(stored -> {
                    assertThat(stored.getId()).isEqualTo(pair.getId());
                    assertThat(stored.getChosenScore()).isEqualTo(4.5);
                    assertThat(stored.getRejectedSource()).isEqualTo(ResponseSource.POLICY);
                });
    }

    @Test
    void refusesARejectedResponseThatAnswersAnotherPrompt() {
        PreferencePair crossPrompt = new PreferencePair(
                iteration.getId(),
                PairDataset.D1,
                first.getId(),
                new Side(firstAnswers.get(0).getId(), 4.0, ResponseSource.POLICY),
                new Side(secondAnswer.getId(), 1.0, ResponseSource.ANCHOR));

        assertThatThrownBy(() -> pairs.saveAndFlush(crossPrompt))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("preference_pair_rejected_answers_prompt");
    }

    @Test
    void refusesTheSameResponseOnBothSides() {
        long same = firstAnswers.get(0).getId();
        PreferencePair selfPair = new PreferencePair(
                iteration.getId(),
                PairDataset.SR,
                first.getId(),
                new Side(same, 4.0, ResponseSource.POLICY),
                new Side(same, 1.0, ResponseSource.POLICY));

        assertThatThrownBy(() -> pairs.saveAndFlush(selfPair))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("preference_pair_distinct_responses");
    }

    @Test
    void refusesAChosenResponseThatDidNotScoreHigher() {
        PreferencePair tie = new PreferencePair(
                iteration.getId(),
                PairDataset.SR,
                first.getId(),
                new Side(firstAnswers.get(0).getId(), 3.0, ResponseSource.POLICY),
                new Side(firstAnswers.get(1).getId(), 3.0, ResponseSource.POLICY));

        assertThatThrownBy(() -> pairs.saveAndFlush(tie))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("preference_pair_chosen_scores_higher");
    }

    @Test
    void keepsOnePairPerPromptAndDataset() {
        Side chosen = new Side(firstAnswers.get(0).getId(), 4.0, ResponseSource.POLICY);
        Side rejected = new Side(firstAnswers.get(1).getId(), 1.0, ResponseSource.POLICY);
        pairs.saveAndFlush(new PreferencePair(iteration.getId(), PairDataset.D2, first.getId(), chosen, rejected));

        assertThatThrownBy(() -> pairs.saveAndFlush(
                        new PreferencePair(iteration.getId(), PairDataset.D2, first.getId(), chosen, rejected)))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("preference_pair_one_per_prompt");
    }
}
