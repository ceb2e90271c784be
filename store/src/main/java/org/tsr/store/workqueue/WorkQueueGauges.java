package org.tsr.store.workqueue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The queue as Prometheus sees it, per stage: {@code tsr.work.queue.depth} with {@code status} pending or running, and
 * {@code tsr.work.queue.oldest.age} (seconds since the oldest PENDING unit was enqueued; 0 when none waits). All the
 * gauges read one snapshot, taken with one grouped query over the unfinished units and kept for
 * {@code tsr.work-queue.metrics-max-age} (5s), so a scrape costs at most one query. Every service that uses the
 * store exports them, each reading the same table: aggregate with {@code max by (stage)}, not {@code sum}.
 */
@Component
class WorkQueueGauges implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(WorkQueueGauges.class);

    private static final String SNAPSHOT = """
            select stage,
                   count(*) filter (where status = 'PENDING') as pending,
                   count(*) filter (where status = 'RUNNING') as running,
                   coalesce(extract(epoch from now() - min(created_at) filter (where status = 'PENDING')), 0)
                       as oldest_pending_seconds
            from work_unit
            where status in ('PENDING', 'RUNNING')
            group by stage
            """;

    record StageDepth(double pending, double running, double oldestPendingSeconds) {
        static final StageDepth EMPTY = new StageDepth(0, 0, 0);
        static final StageDepth UNKNOWN = new StageDepth(Double.NaN, Double.NaN, Double.NaN);
    }

    private final JdbcClient jdbc;
    private final long maxAgeNanos;
    private Map<WorkStage, StageDepth> snapshot = Map.of();
    private long takenAtNanos;
    private boolean taken;

    WorkQueueGauges(JdbcClient jdbc, @Value("${tsr.work-queue.metrics-max-age:5s}") Duration maxAge) {
        this.jdbc = jdbc;
        this.maxAgeNanos = maxAge.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (WorkStage stage : WorkStage.values()) {
            String tag = stage.name().toLowerCase(Locale.ROOT);
            gauge("tsr.work.queue.depth", stage, StageDepth::pending)
                    .tag("stage", tag)
                    .tag("status", "pending")
                    .description("Work units waiting to be claimed")
                    .register(registry);
            gauge("tsr.work.queue.depth", stage, StageDepth::running)
                    .tag("stage", tag)
                    .tag("status", "running")
                    .description("Work units claimed and being worked on")
                    .register(registry);
            gauge("tsr.work.queue.oldest.age", stage, StageDepth::oldestPendingSeconds)
                    .tag("stage", tag)
                    .baseUnit("seconds")
                    .description("Age of the oldest pending work unit")
                    .register(registry);
        }
    }

    private Gauge.Builder<WorkQueueGauges> gauge(String name, WorkStage stage, ToDoubleFunction<StageDepth> value) {
        return Gauge.builder(name, this, gauges -> value.applyAsDouble(gauges.depth(stage)));
    }

    /** The stage's figures from a snapshot at most {@code maxAge} old; NaN while the store cannot be read. */
    synchronized StageDepth depth(WorkStage stage) {
        long now = System.nanoTime();
        if (!taken || now - takenAtNanos >= maxAgeNanos) {
            snapshot = read();
            takenAtNanos = now;
            taken = true;
        }
        return snapshot.getOrDefault(stage, StageDepth.EMPTY);
    }

    private Map<WorkStage, StageDepth> read() {
        Map<WorkStage, StageDepth> byStage = new EnumMap<>(WorkStage.class);
        try {
            jdbc.sql(SNAPSHOT).query(rs -> {
                byStage.put(
                        WorkStage.valueOf(rs.getString("stage")),
                        new StageDepth(
                                rs.getLong("pending"), rs.getLong("running"), rs.getDouble("oldest_pending_seconds")));
            });
            return byStage;
        } catch (RuntimeException e) {
            log.debug("Could not read the work queue's depth: {}", e.getMessage());
            for (WorkStage stage : WorkStage.values()) {
                byStage.put(stage, StageDepth.UNKNOWN);
            }
            return byStage;
        }
    }
}
