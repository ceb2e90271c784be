package org.tsr.generator.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.RunMethod;
import org.tsr.store.testing.StoreFixtures;
import org.tsr.store.workqueue.NewWorkUnit;
import org.tsr.store.workqueue.StageWorker;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.store.workqueue.WorkStatus;
import org.tsr.store.workqueue.WorkUnit;

@SpringBootTest(properties = {"tsr.generator.worker-threads=0", "tsr.generator.batch-prompts=2"})
class GenerateHandlerTest {

    @Autowired
    GenerateHandler handler;

    @Autowired
    WorkQueue queue;

    @Autowired
    ModelGenerationRepository generations;

    @Autowired
    ResponseRepository responses;

    @Autowired
    StoreFixtures fixtures;

    ModelGeneration m0;
    Iteration iteration;
    List<Prompt> chunk;

    @BeforeEach
    void iterationWithThreePrompts() {
        m0 = TinyModelFixture.register(generations);
        iteration = fixtures.iteration(fixtures.run(RunMethod.SR, m0), 0, m0);
        chunk = fixtures.prompts("sort: cab", "reverse: abc", "add: 2+3");
    }

    private long enqueue(String payload) {
        return queue.enqueue(NewWorkUnit.of(WorkStage.GENERATE, iteration.getId(), payload));
    }

    private String payload(long generationId) {
        String ids = chunk.stream()
                .map(p -> p.getId().toString())
                .reduce((a, b) -> a + "," + b)
                .orElseThrow();
        return """
                {"iterationId": %d, "generationId": %d, "purpose": "POLICY", "promptIds": [%s], "chat": true,
                 "sampling": {"n": 2, "temperature": 1.0, "topP": 0.9, "topK": 0, "maxTokens": 12, "stop": [], "seed": 5}}
                """.formatted(iteration.getId(), generationId, ids);
    }

    private void drain() {
        StageWorker worker = new StageWorker(queue, WorkStage.GENERATE, "test", handler, Duration.ofMillis(10));
        while (worker.processOne("test/0")) {
            // every pending GENERATE unit
        }
        worker.close();
    }

    @Test
    void storesEverySampleOnceEvenWhenTheUnitRunsAgain() {
        long first = enqueue(payload(m0.getId()));
        drain();
        List<Response> stored = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.POLICY);

        assertThat(queue.find(first).orElseThrow().status()).isEqualTo(WorkStatus.DONE);
        assertThat(stored).hasSize(6);
        assertThat(stored).allSatisfy(response -> {
            assertThat(response.getGenerationId()).isEqualTo(m0.getId());
            assertThat(response.getTokenCount()).isBetween(1, 12);
        });

        enqueue(payload(m0.getId()));
        drain();
        List<Response> again = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.POLICY);
        assertThat(again)
                .extracting(Response::getId)
                .containsExactlyElementsOf(stored.stream().map(Response::getId).toList());
    }

    @Test
    void unknownGenerationFailsTheUnitAtOnce() {
        long id = enqueue(payload(987_654));
        drain();

        WorkUnit unit = queue.find(id).orElseThrow();
        assertThat(unit.status()).isEqualTo(WorkStatus.FAILED);
        assertThat(unit.attempts()).isEqualTo(1);
        assertThat(unit.lastError()).contains("model generation 987654 does not exist");
    }

    @Test
    void missingPromptsFailTheUnitAndNameThem() {
        long id = enqueue(payload(m0.getId()).replace("\"promptIds\": [", "\"promptIds\": [424242,"));
        drain();

        assertThat(queue.find(id).orElseThrow().lastError()).contains("prompts [424242] do not exist");
    }
}
