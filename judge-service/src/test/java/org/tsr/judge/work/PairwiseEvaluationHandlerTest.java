package org.tsr.judge.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.judge.pairwise.PairwiseTemplate;
import org.tsr.store.evaluation.PairwiseJudgments;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.RunMethod;
import org.tsr.store.testing.StoreFixtures;
import org.tsr.store.workqueue.NewWorkUnit;
import org.tsr.store.workqueue.StageWorker;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.store.workqueue.WorkStatus;

@SpringBootTest(properties = {"tsr.judge.worker-threads=0", "tsr.judge.batch-responses=1"})
class PairwiseEvaluationHandlerTest {

    /** The standard pairwise prompt is longer than the tiny model's 256-token context. */
    static final String COMPACT_TEMPLATE = "{prompt} 1={first} 2={second} Better: ";

    @Autowired
    PairwiseEvaluationHandler handler;

    @Autowired
    WorkQueue queue;

    @Autowired
    ModelGenerationRepository generations;

    @Autowired
    ResponseWriter responseWriter;

    @Autowired
    ResponseRepository responses;

    @Autowired
    PairwiseJudgments pairwise;

    @Autowired
    StoreFixtures fixtures;

    @Test
    void anEmbeddedJudgeComparesEachPairInBothOrdersAndARetryWritesNothingTwice() {
        ModelGeneration judge = TinyModelFixture.register(generations);
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.SR, judge), 0, judge);
        List<Prompt> prompts = fixtures.prompts("sort: cba", "reverse: abc");
        List<long[]> comparisons = new ArrayList<>();
        for (Prompt prompt : prompts) {
            responseWriter.saveAll(List.of(
                    new NewResponse(
                            prompt.getId(),
                            judge.getId(),
                            iteration.getId(),
                            ResponsePurpose.EVAL,
                            0,
                            "abc",
                            3,
                            FinishReason.STOP),
                    new NewResponse(
                            prompt.getId(),
                            judge.getId(),
                            iteration.getId(),
                            ResponsePurpose.EVAL,
                            1,
                            "cab",
                            3,
                            FinishReason.STOP)));
        }
        List<Response> written = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.EVAL);
        comparisons.add(new long[] {written.get(0).getId(), written.get(1).getId()});
        comparisons.add(new long[] {written.get(2).getId(), written.get(3).getId()});
        String payload = payload(iteration.getId(), judge.getId(), comparisons);

        long unit = queue.enqueue(NewWorkUnit.of(WorkStage.EVALUATE, null, payload));
        drain();
        queue.enqueue(NewWorkUnit.of(WorkStage.EVALUATE, null, payload));
        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.DONE);
        List<PairwiseJudgments.Compared> stored = pairwise.ofIteration(iteration.getId(), judge.getId());
        assertThat(stored).hasSize(2);
        for (int i = 0; i < 2; i++) {
            PairwiseJudgments.Compared compared = stored.get(i);
            assertThat(compared.judgment().responseId()).isEqualTo(comparisons.get(i)[0]);
            assertThat(compared.judgment().referenceResponseId())
                    .isEqualTo(comparisons.get(i)[1]);
            // the stored choices are the ones the judge's own texts give, in each order
            assertThat(compared.judgment().forwardChoice())
                    .isEqualTo(PairwiseTemplate.preferred(compared.judgment().forwardText()));
            assertThat(compared.judgment().reversedChoice())
                    .isEqualTo(PairwiseTemplate.preferred(compared.judgment().reversedText()));
            assertThat(compared.length()).isEqualTo(3);
            assertThat(compared.referenceLength()).isEqualTo(3);
        }
    }

    @Test
    void aComparisonOfResponsesToDifferentPromptsFailsTheUnitForGood() {
        ModelGeneration judge = TinyModelFixture.register(generations);
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.SR, judge), 0, judge);
        List<Prompt> prompts = fixtures.prompts("sort: cba", "reverse: abc");
        for (Prompt prompt : prompts) {
            responseWriter.saveAll(List.of(new NewResponse(
                    prompt.getId(),
                    judge.getId(),
                    iteration.getId(),
                    ResponsePurpose.EVAL,
                    0,
                    "abc",
                    3,
                    FinishReason.STOP)));
        }
        List<Response> written = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.EVAL);

        long unit = queue.enqueue(NewWorkUnit.of(
                WorkStage.EVALUATE, null, payload(iteration.getId(), judge.getId(), List.of(new long[] {
                    written.get(0).getId(), written.get(1).getId()
                }))));
        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        assertThat(queue.find(unit).orElseThrow().lastError()).contains("to another prompt");
        assertThat(pairwise.ofIteration(iteration.getId(), judge.getId())).isEmpty();
    }

    private static String payload(long iterationId, long judgeId, List<long[]> comparisons) {
        String pairs = comparisons.stream()
                .map(c -> "{\"responseId\": %d, \"referenceResponseId\": %d}".formatted(c[0], c[1]))
                .reduce((a, b) -> a + "," + b)
                .orElseThrow();
        return """
                {"iterationId": %d, "judgeGenerationId": %d, "comparisons": [%s], "temperature": 0.0,
                 "maxTokens": 8, "seed": 3, "template": "%s"}
                """.formatted(iterationId, judgeId, pairs, COMPACT_TEMPLATE);
    }

    private void drain() {
        StageWorker worker = new StageWorker(queue, WorkStage.EVALUATE, "test", handler, Duration.ofMillis(10));
        while (worker.processOne("test/0")) {
            // every pending EVALUATE unit
        }
        worker.close();
    }
}
