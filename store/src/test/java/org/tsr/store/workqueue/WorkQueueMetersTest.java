package org.tsr.store.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

@SpringBootTest(properties = {"tsr.work-queue.lease=2s", "tsr.work-queue.retry-backoff=0s"})
class WorkQueueMetersTest {

    @Autowired
    JdbcTemplate jdbc;

    MeterRegistry registry;
    WorkQueue queue;

    @BeforeEach
    void queueWithItsOwnRegistry() {
        jdbc.execute("truncate work_unit");
        registry = new SimpleMeterRegistry();
        WorkUnitMeters meters = new WorkUnitMeters();
        meters.bindTo(registry);
        new WorkQueueGauges(JdbcClient.create(jdbc), Duration.ZERO).bindTo(registry);
        queue = new WorkQueue(
                JdbcClient.create(jdbc),
                new JdbcTransactionManager(jdbc.getDataSource()),
                new WorkQueueProperties(Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, Duration.ofSeconds(60)),
                new WorkSignals(jdbc.getDataSource()),
                meters);
    }

    @Test
    void countersStartAtZeroForEveryStageAndCountCompletionsRetriesAndFinalFailures() {
        for (WorkStage stage : WorkStage.values()) {
            assertThat(completed(stage)).isZero();
        }
        queue.enqueueAll(java.util.List.of(
                new NewWorkUnit(WorkStage.JUDGE, null, "a", "{}", 2),
                new NewWorkUnit(WorkStage.JUDGE, null, "b", "{}", 1),
                new NewWorkUnit(WorkStage.TRAIN, null, "c", "{}", 3)));

        queue.fail(queue.claim(WorkStage.JUDGE, "w", 1).get(0), "flaky");
        queue.complete(queue.claim(WorkStage.JUDGE, "w", 1).get(0));
        queue.fail(queue.claim(WorkStage.JUDGE, "w", 1).get(0), "broken");
        ClaimedUnit c = queue.claim(WorkStage.TRAIN, "w", 1).get(0);
        queue.complete(c);
        queue.complete(c);

        assertThat(completed(WorkStage.JUDGE)).isEqualTo(1);
        assertThat(completed(WorkStage.TRAIN))
                .as("a second completion is a no-op")
                .isEqualTo(1);
        assertThat(failed(WorkStage.JUDGE, "retried")).isEqualTo(1);
        assertThat(failed(WorkStage.JUDGE, "failed")).isEqualTo(1);
        assertThat(failed(WorkStage.TRAIN, "failed")).isZero();
    }

    @Test
    void gaugesShowPendingAndRunningUnitsPerStageAndTheAgeOfTheOldestPendingOne() {
        queue.enqueueAll(java.util.List.of(
                NewWorkUnit.of(WorkStage.GENERATE, null, "{}"),
                NewWorkUnit.of(WorkStage.GENERATE, null, "{}"),
                NewWorkUnit.of(WorkStage.GENERATE, null, "{}")));
        jdbc.update("update work_unit set created_at = now() - interval '90 seconds' where id = (select min(id)"
                + " from work_unit)");
        queue.claim(WorkStage.GENERATE, "w", 1);

        assertThat(depth("generate", "pending")).isEqualTo(2);
        assertThat(depth("generate", "running")).isEqualTo(1);
        assertThat(depth("judge", "pending")).isZero();
        assertThat(registry.get("tsr.work.queue.oldest.age")
                        .tag("stage", "generate")
                        .gauge()
                        .value())
                .as("the oldest pending unit is the second, the first was claimed")
                .isBetween(0.0, 60.0);
        jdbc.update("update work_unit set created_at = now() - interval '90 seconds' where status = 'PENDING'");
        assertThat(registry.get("tsr.work.queue.oldest.age")
                        .tag("stage", "generate")
                        .gauge()
                        .value())
                .isBetween(89.0, 200.0);
    }

    private double depth(String stage, String status) {
        return registry.get("tsr.work.queue.depth")
                .tag("stage", stage)
                .tag("status", status)
                .gauge()
                .value();
    }

    private double completed(WorkStage stage) {
        return registry.get("tsr.work.units.completed")
                .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                .counter()
                .count();
    }

    private double failed(WorkStage stage, String outcome) {
        return registry.get("tsr.work.units.failed")
                .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                .tag("outcome", outcome)
                .counter()
                .count();
    }
}
