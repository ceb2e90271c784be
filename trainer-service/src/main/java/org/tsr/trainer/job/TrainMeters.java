package org.tsr.trainer.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import org.tsr.contract.training.TrainingKind;
import org.tsr.engine.training.StepMetrics;

/**
 * The trainer's meters, tagged by job kind (sft, dpo) and the role of the model trained (sft, policy, future):
 * gauges of the latest step's {@code tsr.train.loss}, {@code tsr.train.reward.margin} and
 * {@code tsr.train.reward.accuracy} (DPO only; gauges, since a margin can be negative and distribution summaries
 * drop negative values), counters {@code tsr.train.tokens} and {@code tsr.train.nonfinite.steps}, and per job the
 * timer {@code tsr.train.job} with its outcome.
 */
@Component
public class TrainMeters {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    TrainMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void step(TrainingKind kind, String modelRole, StepMetrics metrics) {
        String kindTag = kind.name().toLowerCase(Locale.ROOT);
        Counter.builder("tsr.train.tokens")
                .tag("kind", kindTag)
                .tag("model_role", modelRole)
                .register(registry)
                .increment(metrics.tokens());
        // registered with the first step, so that the count of skipped steps is 0 rather than absent
        Counter nonFinite = Counter.builder("tsr.train.nonfinite.steps")
                .tag("kind", kindTag)
                .tag("model_role", modelRole)
                .register(registry);
        if (metrics.skipped()) {
            nonFinite.increment();
            return;
        }
        latest("tsr.train.loss", kindTag, modelRole).set(Double.doubleToLongBits(metrics.loss()));
        if (metrics.rewardsMargins() != null) {
            latest("tsr.train.reward.margin", kindTag, modelRole)
                    .set(Double.doubleToLongBits(metrics.rewardsMargins()));
            latest("tsr.train.reward.accuracy", kindTag, modelRole)
                    .set(Double.doubleToLongBits(metrics.rewardsAccuracies()));
        }
    }

    void job(TrainingKind kind, String modelRole, String outcome, Duration took) {
        Timer.builder("tsr.train.job")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .tag("model_role", modelRole)
                .tag("outcome", outcome)
                .register(registry)
                .record(took);
    }

    /** The holder of a gauge's latest value, as double bits; registered on first use. */
    private AtomicLong latest(String name, String kind, String modelRole) {
        return gauges.computeIfAbsent(name + "|" + kind + "|" + modelRole, key -> {
            AtomicLong holder = new AtomicLong(Double.doubleToLongBits(Double.NaN));
            Gauge.builder(name, holder, bits -> Double.longBitsToDouble(bits.get()))
                    .tag("kind", kind)
                    .tag("model_role", modelRole)
                    .register(registry);
            return holder;
        });
    }
}
