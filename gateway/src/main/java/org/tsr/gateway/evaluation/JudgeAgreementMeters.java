package org.tsr.gateway.evaluation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * {@code tsr.judge.agreement}: the latest measured share of the policy's own sample pairs that the judge orders like
 * the oracle, tagged by the judge's role (self, fixed, oracle) and task family ({@code all} for every family).
 */
@Component
class JudgeAgreementMeters {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> latest = new ConcurrentHashMap<>();

    JudgeAgreementMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String judgeRole, String family, double agreement) {
        if (!Double.isFinite(agreement)) {
            return;
        }
        latest.computeIfAbsent(judgeRole + "/" + family, key -> {
                    AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
                    Gauge.builder("tsr.judge.agreement", value, AtomicReference::get)
                            .description("Share of the policy's own sample pairs the judge orders like the oracle")
                            .tag("judge_role", judgeRole)
                            .tag("family", family)
                            .register(registry);
                    return value;
                })
                .set(agreement);
    }
}
