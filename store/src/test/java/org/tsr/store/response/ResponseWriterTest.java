package org.tsr.store.response;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.RunMethod;
import org.tsr.store.testing.StoreFixtures;

@SpringBootTest
class ResponseWriterTest {

    static final String TRICKY_TEXT =
            "tab\there, line\nbreak, \r return, back\\slash \\N, 'quotes' \"double\", {braces}, \u00e9\u4e2d\ud83d\ude00";

    @Autowired
    ResponseWriter writer;

    @Autowired
    ResponseRepository responses;

    @Autowired
    StoreFixtures fixtures;

    @Test
    void retriedWriteOfTheSameSamplesAddsNoRows() {
        ModelGeneration m0 = fixtures.m0();
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.TSR, m0), 0, m0);
        List<Prompt> prompts = fixtures.prompts(3);
        List<NewResponse> batch = new ArrayList<>();
        for (Prompt prompt : prompts) {
            for (int sample = 0; sample < 4; sample++) {
                batch.add(new NewResponse(
                        prompt.getId(),
                        m0.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        sample,
                        "answer " + sample,
                        2,
                        FinishReason.STOP));
            }
        }

        assertThat(writer.saveAll(batch.subList(0, 5))).isEqualTo(5);
        assertThat(writer.saveAll(batch))
                .as("only the 7 not stored yet are new")
                .isEqualTo(7);
        assertThat(writer.saveAll(batch)).isZero();
        assertThat(responses.countByIterationId(iteration.getId())).isEqualTo(12);

        // the same sample index under another purpose is a different response
        NewResponse anchor = new NewResponse(
                prompts.get(0).getId(),
                m0.getId(),
                iteration.getId(),
                ResponsePurpose.ANCHOR,
                0,
                "anchor",
                1,
                FinishReason.LENGTH);
        assertThat(writer.saveAll(List.of(anchor))).isEqualTo(1);
        assertThat(responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                        iteration.getId(), ResponsePurpose.ANCHOR))
                .singleElement()
                .satisfies(stored -> {
                    assertThat(stored.getText()).isEqualTo("anchor");
                    assertThat(stored.getFinishReason()).isEqualTo(FinishReason.LENGTH);
                    assertThat(stored.getGenerationId()).isEqualTo(m0.getId());
                });
    }

    @Test
    void responsesOutsideAnyIterationAreAlsoUniquePerSample() {
        ModelGeneration m0 = fixtures.m0();
        Prompt prompt = fixtures.prompts(1).get(0);
        NewResponse direct =
                new NewResponse(prompt.getId(), m0.getId(), null, ResponsePurpose.EVAL, 0, "x", 1, FinishReason.STOP);

        assertThat(writer.saveAll(List.of(direct))).isEqualTo(1);
        assertThat(writer.saveAll(List.of(direct))).isZero();
    }

    @Test
    void keepsEveryCharacterOfTheTextInLargeBatches() {
        ModelGeneration m0 = fixtures.m0();
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.SR, m0), 0, m0);
        List<Prompt> prompts = fixtures.prompts(2);
        List<NewResponse> batch = new ArrayList<>();
        for (int sample = 0; sample < 2_500; sample++) {
            batch.add(new NewResponse(
                    prompts.get(sample % 2).getId(),
                    m0.getId(),
                    iteration.getId(),
                    ResponsePurpose.POLICY,
                    sample,
                    TRICKY_TEXT,
                    7,
                    FinishReason.STOP));
        }

        assertThat(writer.saveAll(batch)).isEqualTo(2_500);
        assertThat(responses.countByIterationId(iteration.getId())).isEqualTo(2_500);
        assertThat(responses
                        .findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                                iteration.getId(), ResponsePurpose.POLICY)
                        .get(0)
                        .getText())
                .isEqualTo(TRICKY_TEXT);
    }

    @Test
    void aResponseWithNulOrALoneSurrogateIsStoredWithReplacementCharacters() {
        ModelGeneration m0 = fixtures.m0();
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.SR, m0), 0, m0);
        Prompt prompt = fixtures.prompts(1).get(0);

        writer.saveAll(List.of(new NewResponse(
                prompt.getId(),
                m0.getId(),
                iteration.getId(),
                ResponsePurpose.POLICY,
                0,
                "byte\u0000tokens \uD800end",
                5,
                FinishReason.LENGTH)));

        assertThat(responses
                        .findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                                iteration.getId(), ResponsePurpose.POLICY)
                        .get(0)
                        .getText())
                .isEqualTo("byte\uFFFDtokens \uFFFDend");
    }
}
