package org.tsr.store.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts the work units this process finishes, by stage: {@code tsr.work.units.completed} and
 * {@code tsr.work.units.failed} with {@code outcome} {@code retried} (back to PENDING after a backoff) or
 * {@code failed} (ended FAILED: out of attempts, failed permanently, or abandoned by a worker whose lease expired on
 * its last attempt). Every stage's counters exist from the start at zero, so rates are defined before the first unit.
 * The application's meter registry binds them; until then (or in an application without one) nothing is counted.
 */
@Component
public class WorkUnitMeters implements MeterBinder {

    private volatile Map<WorkStage, Counter> completed = Map.of();
    private volatile Map<WorkStage, Counter> retried = Map.of();
    private volatile Map<WorkStage, Counter> failed = Map.of();

    @Override
    public void bindTo(MeterRegistry registry) {
        Map<WorkStage, Counter> completedByStage = new EnumMap<>(WorkStage.class);
        Map<WorkStage, Counter> retriedByStage = new EnumMap<>(WorkStage.class);
        Map<WorkStage, Counter> failedByStage = new EnumMap<>(WorkStage.class);
        for (WorkStage stage : WorkStage.values()) {
            String tag = stage.name().toLowerCase(Locale.ROOT);
            completedByStage.put(
                    stage,
                    Counter.builder("tsr.work.units.completed")
                            .description("Work units this process completed")
                            .tag("stage", tag)
                            .register(registry));
            retriedByStage.put(stage, failedCounter(registry, tag, "retried"));
            failedByStage.put(stage, failedCounter(registry, tag, "failed"));
        }
        completed = completedByStage;
        retried = retriedByStage;
        failed = failedByStage;
    }

    private static Counter failedCounter(MeterRegistry registry, String stage, String outcome) {
        return Counter.builder("tsr.work.units.failed")
                .description("Failed attempts on work units: retried later, or failed for good")
                .tag("stage", stage)
                .tag("outcome", outcome)
                .register(registry);
    }

    void completed(WorkStage stage) {
        increment(completed, stage, 1);
    }

    void failed(WorkStage stage, WorkStatus now) {
        increment(now == WorkStatus.FAILED ? failed : retried, stage, 1);
    }

    void abandoned(WorkStage stage, int units) {
        increment(failed, stage, units);
    }

    private static void increment(Map<WorkStage, Counter> counters, WorkStage stage, int amount) {
        Counter counter = counters.get(stage);
        if (counter != null && amount > 0) {
            counter.increment(amount);
        }
    }
}
