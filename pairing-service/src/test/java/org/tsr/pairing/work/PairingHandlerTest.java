package org.tsr.pairing.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.contract.pairs.PairDataset;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.judgment.Judgment;
import org.tsr.store.judgment.JudgmentRepository;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.pair.PreferencePairRepository;
import org.tsr.store.pair.ResponseSource;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.run.RunMethod;
import org.tsr.store.testing.StoreFixtures;
import org.tsr.store.workqueue.NewWorkUnit;
import org.tsr.store.workqueue.StageWorker;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.store.workqueue.WorkStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(properties = "tsr.pairing.worker-threads=0")
class PairingHandlerTest {

    @Autowired
    PairingHandler handler;

    @Autowired
    WorkQueue queue;

    @Autowired
    ModelGenerationRepository generations;

    @Autowired
    ResponseWriter responseWriter;

    @Autowired
    ResponseRepository responses;

    @Autowired
    JudgmentRepository judgments;

    @Autowired
    PreferencePairRepository pairs;

    @Autowired
    IterationRepository iterations;

    @Autowired
    StoreFixtures fixtures;

    ModelGeneration m1;
    Iteration iteration;
    Prompt first;
    Prompt second;

    /**
     * Two prompts, judged by M1. Prompt one: policy 4 and 2, anchor 1 and 3, future 5 and 3. Prompt two: policy 3
     * and 3 (a tie), anchor 3, future 2 (worse).
     */
    @BeforeEach
    void judgedTsrIteration() {
        ModelGeneration m0 = fixtures.m0();
        m1 = generations.save(ModelGeneration.trainedFrom(m0, "M1", GenerationKind.POLICY, null, null));
        iteration = fixtures.iteration(fixtures.run(RunMethod.TSR, m0), 1, m1);
        List<Prompt> chunk = fixtures.prompts("sort: dcba", "reverse: abc");
        first = chunk.get(0);
        second = chunk.get(1);

        respond(first, ResponsePurpose.POLICY, m1, 4.0, 2.0);
        respond(first, ResponsePurpose.ANCHOR, m0, 1.0, 3.0);
        respond(first, ResponsePurpose.FUTURE, m1, 5.0, 3.0);
        respond(second, ResponsePurpose.POLICY, m1, 3.0, 3.0);
        respond(second, ResponsePurpose.ANCHOR, m0, 3.0);
        respond(second, ResponsePurpose.FUTURE, m1, 2.0);
    }

    private void respond(Prompt prompt, ResponsePurpose purpose, ModelGeneration sampler, double... scores) {
        List<NewResponse> batch = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            batch.add(new NewResponse(
                    prompt.getId(),
                    sampler.getId(),
                    iteration.getId(),
                    purpose,
                    i,
                    purpose + " answer " + i,
                    5 + i,
                    FinishReason.STOP));
        }
        responseWriter.saveAll(batch);
        List<Response> stored =
                responses
                        .findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(iteration.getId(), purpose)
                        .stream()
                        .filter(r -> r.getPromptId().equals(prompt.getId()))
                        .toList();
        for (int i = 0; i < scores.length; i++) {
            judgments.save(Judgment.scored(stored.get(i).getId(), m1.getId(), 0, "Score: " + scores[i], scores[i]));
        }
    }

    private void pair(PairDataset dataset) {
        String payload = "{\"iterationId\": %d, \"dataset\": \"%s\", \"judgeGenerationId\": %d}"
                .formatted(iteration.getId(), dataset, m1.getId());
        queue.enqueue(NewWorkUnit.of(WorkStage.PAIR, iteration.getId(), payload));
        StageWorker worker = new StageWorker(queue, WorkStage.PAIR, "test", handler, Duration.ofMillis(10));
        while (worker.processOne("test/0")) {
            // drain every PAIR unit, including those earlier tests left failed or retried
        }
        worker.close();
    }

    @Test
    void anchoredRejectionPairsTheBestPolicyWithTheLowerAnchor() {
        pair(PairDataset.D1);

        List<PreferencePair> d1 = pairs.findByIterationIdAndDatasetOrderByPromptId(iteration.getId(), PairDataset.D1);
        assertThat(d1).singleElement().satisfies(pair -> {
            assertThat(pair.getPromptId()).isEqualTo(first.getId());
            assertThat(pair.getChosenScore()).isEqualTo(4.0);
            assertThat(pair.getChosenSource()).isEqualTo(ResponseSource.POLICY);
            assertThat(pair.getRejectedScore()).isEqualTo(1.0);
            assertThat(pair.getRejectedSource()).isEqualTo(ResponseSource.ANCHOR);
        });
        JsonNode diagnostics = diagnostics().get("pairs").get("D1");
        assertThat(diagnostics.get("prompts").asInt()).isEqualTo(2);
        assertThat(diagnostics.get("pairs").asInt()).isEqualTo(1);
        assertThat(diagnostics.get("ties").asInt()).isEqualTo(1);
        assertThat(diagnostics.get("meanScoreGap").asDouble()).isEqualTo(3.0);
        assertThat(diagnostics.get("rejectedFromAnchorShare").asDouble()).isEqualTo(1.0);
    }

    @Test
    void hiddenStateSimilarityNeedsAPolicyItCanLoad() {
        pair(PairDataset.D1);

        JsonNode diagnostics = diagnostics().get("pairs").get("D1");
        assertThat(diagnostics.get("meanHiddenStateCosine").isNull()).isTrue();
        assertThat(diagnostics.get("hiddenStateCosineUnavailable").asString()).contains("is PENDING");
    }

    @Test
    void measuresHowAlikeThePolicySeesChosenAndRejected() {
        m1 = TinyModelFixture.register(generations);
        iteration = fixtures.iteration(fixtures.run(RunMethod.TSR, m1), 0, m1);
        respond(first, ResponsePurpose.POLICY, m1, 5.0, 1.0);
        respond(second, ResponsePurpose.POLICY, m1, 4.0, 2.0);

        pair(PairDataset.SR);

        JsonNode diagnostics = diagnostics().get("pairs").get("SR");
        assertThat(diagnostics.get("pairs").asInt()).isEqualTo(2);
        assertThat(diagnostics.get("hiddenStateCosineUnavailable").isNull()).isTrue();
        assertThat(diagnostics.get("meanHiddenStateCosine").asDouble()).isBetween(-1.0, 1.0);
    }

    @Test
    void futureGuidedChosenUpgradesTheChosenAndKeepsEarlierDiagnostics() {
        pair(PairDataset.D1);
        pair(PairDataset.D2);

        List<PreferencePair> d2 = pairs.findByIterationIdAndDatasetOrderByPromptId(iteration.getId(), PairDataset.D2);
        assertThat(d2).singleElement().satisfies(pair -> {
            assertThat(pair.getChosenScore()).isEqualTo(5.0);
            assertThat(pair.getChosenSource()).isEqualTo(ResponseSource.FUTURE);
            assertThat(pair.getRejectedSource()).isEqualTo(ResponseSource.ANCHOR);
        });
        JsonNode pairsDiagnostics = diagnostics().get("pairs");
        assertThat(pairsDiagnostics.get("D1").get("meanChosenScore").asDouble()).isEqualTo(4.0);
        assertThat(pairsDiagnostics.get("D2").get("meanChosenScore").asDouble()).isEqualTo(5.0);
        assertThat(pairsDiagnostics.get("D2").get("chosenFromFutureShare").asDouble())
                .isEqualTo(1.0);
    }

    @Test
    void retriedUnitWritesNoPairTwice() {
        pair(PairDataset.SR);
        pair(PairDataset.SR);

        assertThat(pairs.findByIterationIdAndDatasetOrderByPromptId(iteration.getId(), PairDataset.SR))
                .singleElement()
                .satisfies(pair -> assertThat(pair.getRejectedScore()).isEqualTo(2.0));
    }

    @Test
    void unreadablePayloadFailsTheUnitAtOnceWithTheExpectedShape() {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.PAIR, iteration.getId(), "{\"dataset\": \"D3\"}"));
        StageWorker worker = new StageWorker(queue, WorkStage.PAIR, "test", handler, Duration.ofMillis(10));
        while (worker.processOne("test/0")) {
            // drain
        }
        worker.close();

        var unit = queue.find(id).orElseThrow();
        assertThat(unit.status()).isEqualTo(WorkStatus.FAILED);
        assertThat(unit.attempts()).isEqualTo(1);
        assertThat(unit.lastError()).contains("unreadable payload").contains("\"dataset\": \"SR|D1|D2\"");
    }

    private JsonNode diagnostics() {
        String json = iterations.findById(iteration.getId()).orElseThrow().getDiagnostics();
        return JsonMapper.builder().build().readTree(json);
    }
}
