package org.tsr.contract.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsr.contract.pairs.PairDataset;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.contract.sampling.SamplingSettings;
import tools.jackson.databind.json.JsonMapper;

/** Payloads keep the JSON of units queued before they were records, so such units stay readable. */
class WorkPayloadTest {

    static final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aGenerateUnitWrittenAsAMapReadsAsItsRecordAndWritesBackTheSameFields() {
        String queued = """
                {"iterationId": 5, "generationId": 3, "purpose": "POLICY", "promptIds": [1, 2], "chat": true,
                 "sampling": {"n": 4, "temperature": 0.7, "topP": 0.9, "topK": 0, "maxTokens": 256, "stop": [],
                              "seed": 42}}
                """;
        GenerateWork work = json.readValue(queued, GenerateWork.class);

        assertThat(work)
                .isEqualTo(new GenerateWork(
                        5L,
                        3,
                        ResponsePurpose.POLICY,
                        List.of(1L, 2L),
                        new SamplingSettings(4, 0.7, 0.9, 0, 256, List.of(), 42),
                        true));
        assertThat(json.readTree(json.writeValueAsString(work))).isEqualTo(json.readTree(queued));
    }

    @Test
    void judgePairAndTrainUnitsReadAsTheirRecords() {
        JudgeWork judge = json.readValue("""
                {"judgeGenerationId": 3, "responseIds": [10, 11], "modelRole": "POLICY", "samples": 3,
                 "temperature": 0.7, "maxTokens": 256, "seed": 1, "template": null}
                """, JudgeWork.class);
        assertThat(judge.responseIds()).containsExactly(10L, 11L);
        assertThat(judge.oracleAccuracy()).isNull();

        PairWork pair =
                json.readValue("{\"iterationId\": 5, \"dataset\": \"D1\", \"judgeGenerationId\": 3}", PairWork.class);
        assertThat(pair.dataset()).isEqualTo(PairDataset.D1);
        assertThat(pair.representationGenerationId()).isEqualTo(3);
        assertThat(pair.chatFormat()).isTrue();

        assertThat(json.readValue("{\"trainingJobId\": 7}", TrainWork.class).trainingJobId())
                .isEqualTo(7L);
    }
}
