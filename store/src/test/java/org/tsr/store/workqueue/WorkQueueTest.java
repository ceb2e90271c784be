package org.tsr.store.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest(properties = {"tsr.work-queue.lease=2s", "tsr.work-queue.retry-backoff=0s"})
class WorkQueueTest {

    @Autowired
    WorkQueue queue;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void emptyQueue() {
        jdbc.execute("create table if not exists work_result (unit_id bigint not null, owner text not null)");
        jdbc.execute("truncate work_unit, work_result");
    }

    @Test
    void eightWorkersDrainTwoThousandUnitsEachExactlyOnce() throws Exception {
        List<NewWorkUnit> units = IntStream.range(0, 2_000)
                .mapToObj(i -> NewWorkUnit.of(WorkStage.GENERATE, null, "{\"slice\": " + i + "}"))
                .toList();
        queue.enqueueAll(units);

        WorkHandler recordResult = unit ->
                () -> jdbc.update("insert into work_result (unit_id, owner) values (?, ?)", unit.id(), unit.owner());
        try (StageWorker worker =
                new StageWorker(queue, WorkStage.GENERATE, "test", recordResult, Duration.ofMillis(20)).start(8)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!queue.counts(WorkStage.GENERATE).settled() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        assertThat(queue.counts(WorkStage.GENERATE)).isEqualTo(new StageCounts(0, 0, 2_000, 0));
        assertThat(jdbc.queryForObject("select count(*) from work_result", Long.class))
                .isEqualTo(2_000);
        assertThat(jdbc.queryForObject("select count(distinct unit_id) from work_result", Long.class))
                .isEqualTo(2_000);
        assertThat(jdbc.queryForObject("select count(distinct owner) from work_result", Long.class))
                .as("all eight threads took part")
                .isEqualTo(8);
        assertThat(jdbc.queryForObject("select max(attempts) from work_unit", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void unitWhoseWorkerStopsRenewingIsReclaimedAfterItsLease() throws Exception {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.JUDGE, null, "{\"responses\": [1, 2]}"));
        ClaimedUnit stalled = queue.claim(WorkStage.JUDGE, "worker-a", 1).get(0);

        assertThat(queue.claim(WorkStage.JUDGE, "worker-b", 1))
                .as("still leased")
                .isEmpty();
        Thread.sleep(2_300);
        List<ClaimedUnit> reclaimed = queue.claim(WorkStage.JUDGE, "worker-b", 1);

        assertThat(reclaimed).singleElement().satisfies(unit -> {
            assertThat(unit.id()).isEqualTo(id);
            assertThat(unit.owner()).isEqualTo("worker-b");
            assertThat(unit.attempt()).isEqualTo(2);
        });
        assertThat(queue.renew(stalled)).isFalse();
        assertThatThrownBy(() -> queue.complete(
                        stalled,
                        () -> jdbc.update("insert into work_result (unit_id, owner) values (?, 'worker-a')", id)))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("now leased to worker-b on attempt 2");
        assertThat(queue.find(id).orElseThrow().lastError()).contains("lease of worker-a expired on attempt 1");

        assertThat(queue.complete(
                        reclaimed.get(0),
                        () -> jdbc.update("insert into work_result (unit_id, owner) values (?, 'worker-b')", id)))
                .isTrue();
        assertThat(jdbc.queryForList("select owner from work_result", String.class))
                .containsExactly("worker-b");
    }

    @Test
    void renewingKeepsTheLease() throws Exception {
        queue.enqueue(NewWorkUnit.of(WorkStage.PAIR, null, "{}"));
        ClaimedUnit unit = queue.claim(WorkStage.PAIR, "worker-a", 1).get(0);

        for (int i = 0; i < 3; i++) {
            Thread.sleep(1_000);
            assertThat(queue.renew(unit)).isTrue();
        }

        assertThat(queue.claim(WorkStage.PAIR, "worker-b", 1)).isEmpty();
        assertThat(queue.complete(unit)).isTrue();
    }

    @Test
    void unitThatKeepsFailingEndsFailedWithItsError() {
        long id = queue.enqueue(
                NewWorkUnit.of(WorkStage.TRAIN, null, "{\"job\": 7}").withMaxAttempts(3));

        List<WorkStatus> outcomes = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            ClaimedUnit unit = queue.claim(WorkStage.TRAIN, "worker", 1).get(0);
            assertThat(unit.attempt()).isEqualTo(attempt);
            outcomes.add(queue.fail(unit, "CUDA out of memory on attempt " + attempt));
        }

        assertThat(outcomes).containsExactly(WorkStatus.PENDING, WorkStatus.PENDING, WorkStatus.FAILED);
        assertThat(queue.claim(WorkStage.TRAIN, "worker", 1)).isEmpty();
        WorkUnit failed = queue.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(WorkStatus.FAILED);
        assertThat(failed.lastError()).isEqualTo("CUDA out of memory on attempt 3");
        assertThat(queue.failed(WorkStage.TRAIN)).extracting(WorkUnit::id).containsExactly(id);
        assertThat(queue.counts(WorkStage.TRAIN)).isEqualTo(new StageCounts(0, 0, 0, 1));
    }

    @Test
    void workerThatDiesOnTheLastAttemptLeavesTheUnitFailed() throws Exception {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.EVALUATE, null, "{}").withMaxAttempts(1));
        queue.claim(WorkStage.EVALUATE, "doomed", 1);
        Thread.sleep(2_300);

        assertThat(queue.claim(WorkStage.EVALUATE, "next", 1)).isEmpty();
        WorkUnit unit = queue.find(id).orElseThrow();
        assertThat(unit.status()).isEqualTo(WorkStatus.FAILED);
        assertThat(unit.lastError()).contains("lease of doomed expired on the last of 1 attempts");
    }

    @Test
    void anAttemptThatOnlyFollowsWorkRunningElsewhereIsGivenBack() throws Exception {
        long id = queue.enqueue(
                NewWorkUnit.of(WorkStage.TRAIN, null, "{\"trainingJobId\": 1}").withMaxAttempts(1));
        ClaimedUnit first = queue.claim(WorkStage.TRAIN, "trainer-a", 1).get(0);
        // trainer-a submitted a Kubernetes workload and dies while following it
        Thread.sleep(2_300);
        assertThat(queue.claim(WorkStage.TRAIN, "trainer-b", 1))
                .as("its only attempt is used up")
                .isEmpty();

        long again = queue.enqueue(
                NewWorkUnit.of(WorkStage.TRAIN, null, "{\"trainingJobId\": 2}").withMaxAttempts(1));
        ClaimedUnit following = queue.claim(WorkStage.TRAIN, "trainer-a", 1).get(0);
        assertThat(queue.grantAttempt(following)).isTrue();
        Thread.sleep(2_300);
        ClaimedUnit reattached = queue.claim(WorkStage.TRAIN, "trainer-b", 1).get(0);

        assertThat(reattached.id()).isEqualTo(again);
        assertThat(reattached.attempt()).isEqualTo(2);
        assertThat(queue.grantAttempt(following))
                .as("a claim that lost the unit gives nothing back")
                .isFalse();
        assertThat(queue.find(again).orElseThrow().maxAttempts()).isEqualTo(2);
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        assertThat(first.attempt()).isEqualTo(1);
    }

    @Test
    void permanentFailureSkipsTheRemainingAttempts() {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.GENERATE, null, "{\"generation\": 404}"));
        ClaimedUnit unit = queue.claim(WorkStage.GENERATE, "worker", 1).get(0);

        assertThat(queue.failPermanently(unit, "model generation 404 does not exist"))
                .isEqualTo(WorkStatus.FAILED);
        assertThat(queue.find(id).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void aSideEffectRunsOnlyWhileTheClaimHoldsTheUnit() throws Exception {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.TRAIN, null, "{\"trainingJobId\": 1}"));
        ClaimedUnit stale = queue.claim(WorkStage.TRAIN, "worker-a", 1).get(0);
        List<String> effects = new ArrayList<>();

        queue.whileHeld(stale, () -> effects.add("a while held"));
        Thread.sleep(2_300);
        ClaimedUnit winner = queue.claim(WorkStage.TRAIN, "worker-b", 1).get(0);

        assertThatThrownBy(() -> queue.whileHeld(stale, () -> effects.add("a after losing the lease")))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("now leased to worker-b on attempt 2");
        queue.whileHeld(winner, () -> effects.add("b"));
        assertThat(effects).containsExactly("a while held", "b");
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(WorkStatus.RUNNING);
    }

    @Test
    void anErrorInAHandlerFailsTheAttemptAndTheWorkerGoesOn() throws Exception {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.PAIR, null, "{}"));
        int[] calls = {0};
        WorkHandler exhausting = unit -> {
            if (++calls[0] == 1) {
                throw new OutOfMemoryError("Java heap space");
            }
            return () -> {};
        };
        StageWorker worker = new StageWorker(queue, WorkStage.PAIR, "w", exhausting, Duration.ofMillis(10));

        assertThat(worker.processOne("w/0")).isTrue();
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(WorkStatus.PENDING);
        assertThat(queue.find(id).orElseThrow().lastError()).isEqualTo("OutOfMemoryError: Java heap space");
        assertThat(worker.processOne("w/0")).isTrue();
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(WorkStatus.DONE);
        worker.close();
    }

    @Test
    void handlerFailureIsRetriedByTheWorker() throws Exception {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.PAIR, null, "{}"));
        int[] calls = {0};
        WorkHandler flaky = unit -> {
            if (++calls[0] == 1) {
                throw new IllegalStateException("judge server answered 503");
            }
            return () -> jdbc.update("insert into work_result (unit_id, owner) values (?, ?)", unit.id(), unit.owner());
        };
        StageWorker worker = new StageWorker(queue, WorkStage.PAIR, "w", flaky, Duration.ofMillis(10));

        assertThat(worker.processOne("w/0")).isTrue();
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(WorkStatus.PENDING);
        assertThat(queue.find(id).orElseThrow().lastError()).contains("judge server answered 503");
        assertThat(worker.processOne("w/0")).isTrue();
        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(WorkStatus.DONE);
        assertThat(worker.processOne("w/0")).isFalse();
        worker.close();
    }

    @Test
    void completingTwiceIsANoOpThatWritesNothingAgain() {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.JUDGE, null, "{}"));
        ClaimedUnit unit = queue.claim(WorkStage.JUDGE, "worker", 1).get(0);
        Runnable results = () -> jdbc.update("insert into work_result (unit_id, owner) values (?, 'worker')", id);

        assertThat(queue.complete(unit, results)).isTrue();
        assertThat(queue.complete(unit, results)).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from work_result", Long.class))
                .isEqualTo(1);
    }

    @Test
    void resultsThatFailToWriteLeaveTheUnitRunningAndWriteNothing() {
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.JUDGE, null, "{}"));
        ClaimedUnit unit = queue.claim(WorkStage.JUDGE, "worker", 1).get(0);

        assertThatThrownBy(() -> queue.complete(unit, () -> {
                    jdbc.update("insert into work_result (unit_id, owner) values (?, 'worker')", id);
                    throw new IllegalStateException("disk full");
                }))
                .hasMessage("disk full");

        assertThat(queue.find(id).orElseThrow().status()).isEqualTo(WorkStatus.RUNNING);
        assertThat(jdbc.queryForObject("select count(*) from work_result", Long.class))
                .isZero();
    }

    @Test
    void badPayloadsAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> queue.enqueue(NewWorkUnit.of(WorkStage.GENERATE, null, null)))
                .isInstanceOf(InvalidWorkPayloadException.class)
                .hasMessage("work unit payload for stage GENERATE is missing");
        assertThatThrownBy(() -> queue.enqueue(NewWorkUnit.of(WorkStage.JUDGE, null, "{\"responses\": [1, 2")))
                .isInstanceOf(InvalidWorkPayloadException.class)
                .hasMessageStartingWith("work unit payload for stage JUDGE is not valid JSON")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> queue.enqueue(NewWorkUnit.of(WorkStage.PAIR, null, "[1, 2]")))
                .isInstanceOf(InvalidWorkPayloadException.class)
                .hasMessage("work unit payload for stage PAIR must be a JSON object, got array");
        assertThatThrownBy(() -> queue.enqueue(NewWorkUnit.of(WorkStage.TRAIN, null, "42")))
                .hasMessage("work unit payload for stage TRAIN must be a JSON object, got number");
        String huge = "{\"x\": \"" + "a".repeat(WorkQueue.MAX_PAYLOAD_CHARS) + "\"}";
        assertThatThrownBy(() -> queue.enqueue(NewWorkUnit.of(WorkStage.TRAIN, null, huge)))
                .hasMessageContaining("more than the " + WorkQueue.MAX_PAYLOAD_CHARS + " allowed");
        assertThatThrownBy(() -> NewWorkUnit.of(WorkStage.TRAIN, null, "{}").withMaxAttempts(0))
                .hasMessage("maxAttempts must be at least 1, got 0");

        // one bad unit in a batch enqueues none of them
        assertThatThrownBy(() -> queue.enqueueAll(List.of(
                        NewWorkUnit.of(WorkStage.GENERATE, null, "{}"),
                        NewWorkUnit.of(WorkStage.GENERATE, null, "nope"))))
                .isInstanceOf(InvalidWorkPayloadException.class);
        assertThat(queue.counts(WorkStage.GENERATE).total()).isZero();
    }

    @Test
    void enqueueingTheSameKeyTwiceYieldsOneUnit() {
        NewWorkUnit unit =
                NewWorkUnit.of(WorkStage.GENERATE, null, "{\"prompts\": [1]}").withKey("iteration-1/policy/0");

        long first = queue.enqueue(unit);
        long second = queue.enqueue(unit);

        assertThat(second).isEqualTo(first);
        assertThat(queue.counts(WorkStage.GENERATE)).isEqualTo(new StageCounts(1, 0, 0, 0));
    }

    @Test
    void countsOnePhaseOfAnIterationByKeyPrefix() {
        long runId = jdbc.queryForObject("insert into run (name, method) values ('r', 'SR') returning id", Long.class);
        long iterationId = jdbc.queryForObject(
                "insert into iteration (run_id, iteration_index) values (?, 0) returning id", Long.class, runId);
        queue.enqueue(NewWorkUnit.of(WorkStage.GENERATE, iterationId, "{}").withKey("it1/GENERATING/0"));
        queue.enqueue(NewWorkUnit.of(WorkStage.GENERATE, iterationId, "{}").withKey("it1/GENERATING/1"));
        queue.enqueue(NewWorkUnit.of(WorkStage.GENERATE, iterationId, "{}").withKey("it1/GENERATING_FUTURE/0"));
        queue.enqueue(NewWorkUnit.of(WorkStage.GENERATE, iterationId, "{}").withKey("it1_GENERATING/x"));
        ClaimedUnit first = queue.claim(WorkStage.GENERATE, "w", 1).get(0);
        queue.failPermanently(first, "model is gone");

        assertThat(queue.countsByKeyPrefix(iterationId, "it1/GENERATING/")).isEqualTo(new StageCounts(1, 0, 0, 1));
        assertThat(queue.firstFailed(iterationId, "it1/GENERATING/"))
                .hasValueSatisfying(unit -> assertThat(unit.lastError()).isEqualTo("model is gone"));
        assertThat(queue.firstFailed(iterationId, "it1/GENERATING_FUTURE/")).isEmpty();
    }

    @Test
    void failedAttemptWaitsOutItsBackoff() {
        WorkQueueProperties properties = new WorkQueueProperties(
                Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60));
        WorkQueue slowRetries = new WorkQueue(
                org.springframework.jdbc.core.simple.JdbcClient.create(jdbc),
                new org.springframework.jdbc.support.JdbcTransactionManager(jdbc.getDataSource()),
                properties,
                new WorkSignals(jdbc.getDataSource()),
                new WorkUnitMeters());
        slowRetries.enqueue(NewWorkUnit.of(WorkStage.JUDGE, null, "{}"));
        ClaimedUnit unit = slowRetries.claim(WorkStage.JUDGE, "w", 1).get(0);
        slowRetries.fail(unit, "timeout");

        assertThat(slowRetries.claim(WorkStage.JUDGE, "w", 1)).as("backing off").isEmpty();
        assertThat(slowRetries.backoffAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(slowRetries.backoffAfter(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(slowRetries.backoffAfter(10)).isEqualTo(Duration.ofSeconds(30));
    }
}
