package org.tsr.judge.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.judgment.Judgment;
import org.tsr.store.judgment.JudgmentRepository;
import org.tsr.store.judgment.ResponseScores;
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

@SpringBootTest(properties = {"tsr.judge.worker-threads=0", "tsr.judge.batch-responses=2"})
class JudgeHandlerTest {

    /** The default rubric is longer than the tiny model's 256-token context. */
    static final String COMPACT_TEMPLATE = "Rate {prompt} => {response}. Score: ";

    @Autowired
    JudgeHandler handler;

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
    ResponseScores scores;

    @Autowired
    StoreFixtures fixtures;

    ModelGeneration judge;
    List<Response> toJudge;

    @BeforeEach
    void threeResponses() {
        judge = TinyModelFixture.register(generations);
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.SR, judge), 0, judge);
        Prompt prompt = fixtures.prompts("sort: cba").get(0);
        responseWriter.saveAll(List.of(
                new NewResponse(
                        prompt.getId(),
                        judge.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        0,
                        "abc",
                        3,
                        FinishReason.STOP),
                new NewResponse(
                        prompt.getId(),
                        judge.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        1,
                        "acb",
                        3,
                        FinishReason.STOP),
                new NewResponse(
                        prompt.getId(),
                        judge.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        2,
                        "the answer is abc",
                        17,
                        FinishReason.STOP)));
        toJudge = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.POLICY);
    }

    private long enqueue(String template) {
        String ids = toJudge.stream()
                .map(r -> r.getId().toString())
                .reduce((a, b) -> a + "," + b)
                .orElseThrow();
        String payload = """
                {"judgeGenerationId": %d, "responseIds": [%s], "modelRole": "POLICY", "samples": 3,
                 "temperature": 0.7, "maxTokens": 24, "seed": 9, "template": %s}
                """.formatted(judge.getId(), ids, template == null ? "null" : "\"" + template + "\"");
        return queue.enqueue(NewWorkUnit.of(WorkStage.JUDGE, null, payload));
    }

    private void drain() {
        StageWorker worker = new StageWorker(queue, WorkStage.JUDGE, "test", handler, Duration.ofMillis(10));
        while (worker.processOne("test/0")) {
            // every pending JUDGE unit
        }
        worker.close();
    }

    @Test
    void theBuiltinOracleAsJudgeWritesOneGradedJudgmentPerResponse() {
        ModelGeneration oracle = generations.save(ModelGeneration.builtinOracle());
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.SR, judge), 0, judge);
        Prompt graded = fixtures.graded("sort: cba", "abc", "sort");
        Prompt ungraded = fixtures.prompts("sort: fed").get(0);
        responseWriter.saveAll(List.of(
                new NewResponse(
                        graded.getId(),
                        judge.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        0,
                        "abc",
                        3,
                        FinishReason.STOP),
                new NewResponse(
                        graded.getId(),
                        judge.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        1,
                        "abc ok",
                        6,
                        FinishReason.STOP),
                new NewResponse(
                        ungraded.getId(),
                        judge.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        0,
                        "def",
                        3,
                        FinishReason.STOP)));
        List<Response> written = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.POLICY);
        queue.enqueue(NewWorkUnit.of(WorkStage.JUDGE, null, """
                {"judgeGenerationId": %d, "responseIds": [%d, %d, %d], "modelRole": "POLICY", "samples": 3,
                 "temperature": 0.7, "maxTokens": 24, "seed": 9, "template": null}
                """.formatted(
                        oracle.getId(),
                        written.get(0).getId(),
                        written.get(1).getId(),
                        written.get(2).getId())));

        drain();

        List<Judgment> right =
                judgments.findByResponseIdOrderBySampleIndex(written.get(0).getId());
        assertThat(right).singleElement().satisfies(j -> {
            assertThat(j.getScore()).isEqualTo(5.0);
            assertThat(j.getRawText()).isEqualTo("right. Score: 5");
            assertThat(j.getJudgeGenerationId()).isEqualTo(oracle.getId());
        });
        assertThat(judgments.findByResponseIdOrderBySampleIndex(written.get(1).getId()))
                .singleElement()
                .satisfies(j -> assertThat(j.getScore()).isEqualTo(3.0));
        assertThat(judgments.findByResponseIdOrderBySampleIndex(written.get(2).getId()))
                .singleElement()
                .satisfies(j -> {
                    assertThat(j.getScore()).isNull();
                    assertThat(j.getParseError()).contains("reference answer");
                });
    }

    @Test
    void storesEveryJudgmentSampleOnceWithItsScoreOrWhyItHasNone() {
        long unit = enqueue(COMPACT_TEMPLATE);
        drain();
        enqueue(COMPACT_TEMPLATE);
        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.DONE);
        for (Response response : toJudge) {
            List<Judgment> stored = judgments.findByResponseIdOrderBySampleIndex(response.getId());
            assertThat(stored).extracting(Judgment::getSampleIndex).containsExactly(0, 1, 2);
            assertThat(stored).allSatisfy(judgment -> {
                assertThat(judgment.getJudgeGenerationId()).isEqualTo(judge.getId());
                assertThat(judgment.getScore() == null).isEqualTo(judgment.getParseError() != null);
            });
            assertThat(scores.of(response.getId(), judge.getId()).orElseThrow().judgments())
                    .isEqualTo(3);
        }
    }

    @Test
    void judgePromptLongerThanTheModelsContextFailsTheUnitAtOnce() {
        long unit = enqueue(null);
        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        assertThat(queue.find(unit).orElseThrow().attempts()).isEqualTo(1);
        assertThat(queue.find(unit).orElseThrow().lastError()).contains("tokens; it needs 1 to 255");
    }

    @Test
    void templateWithoutTheResponsePlaceholderFailsTheUnitAtOnce() {
        long unit = enqueue("Rate {prompt}");
        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        assertThat(queue.find(unit).orElseThrow().lastError()).contains("{response}");
    }
}
