package org.tsr.gateway.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.tsr.gateway.observability.RunFigures.Timings;
import org.tsr.gateway.observability.RunFigures.TimingsSince;

/**
 * The timer {@code tsr.run.phase.duration{method,phase}}: each time an iteration leaves a phase, the conductor adds
 * the phase's wall time to the iteration's timings; this reads the timings changed since its last look (every
 * {@code tsr.observability.refresh}) and records each phase once. Phases that ended before the gateway started are
 * not recorded, so a restart does not count them again. Its buckets run from 5 seconds to a day.
 */
@Component
class PhaseDurations implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(PhaseDurations.class);
    // rows written just before the previous look may commit after it: look back this far
    private static final Duration OVERLAP = Duration.ofMinutes(1);
    private static final Duration[] BUCKETS = {
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(2),
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ofHours(2),
        Duration.ofHours(6),
        Duration.ofHours(12),
        Duration.ofDays(1)
    };

    private final RunFigures figures;
    private final Map<Long, Set<String>> recorded = new HashMap<>();
    private volatile MeterRegistry registry;
    private Instant lastLook;

    PhaseDurations(RunFigures figures) {
        this.figures = figures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    @Scheduled(fixedDelayString = "${tsr.observability.refresh:10s}")
    synchronized void look() {
        if (registry == null) {
            return;
        }
        try {
            boolean first = lastLook == null;
            TimingsSince changed = figures.timingsSince(first ? null : lastLook.minus(OVERLAP));
            for (Timings timings : changed.timings()) {
                Set<String> seen = recorded.computeIfAbsent(timings.iterationId(), id -> new HashSet<>());
                timings.seconds().properties().forEach(phase -> {
                    if (phase.getValue().isNumber() && seen.add(phase.getKey()) && !first) {
                        record(
                                timings.method(),
                                phase.getKey(),
                                phase.getValue().asDouble());
                    }
                });
            }
            lastLook = changed.readAt();
        } catch (RuntimeException e) {
            log.warn("Could not read the iterations' phase timings: {}", e.getMessage());
        }
    }

    private void record(String method, String phase, double seconds) {
        Timer.builder("tsr.run.phase.duration")
                .description("Wall time of a run's phases, from entering a phase to leaving it")
                .tag("method", method.toLowerCase(Locale.ROOT))
                .tag("phase", RunGauges.phaseTag(phase))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofMillis(Math.round(seconds * 1000)));
    }
}
