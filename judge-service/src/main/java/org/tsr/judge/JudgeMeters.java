package org.tsr.judge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.springframework.stereotype.Component;
import org.tsr.judge.rubric.ScoreParser.ParsedScore;

/**
 * The judge's meters, tagged by the role of the model that wrote the judged response (policy, anchor, future, eval,
 * direct): {@code tsr.judge.judgments}, {@code tsr.judge.parse.failures} and the distribution of valid scores,
 * {@code tsr.judge.score}.
 */
@Component
class JudgeMeters {

    private final MeterRegistry registry;

    JudgeMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String modelRole, ParsedScore parsed) {
        String role = modelRole.toLowerCase(Locale.ROOT);
        Counter.builder("tsr.judge.judgments")
                .tag("model_role", role)
                .register(registry)
                .increment();
        if (parsed.isValid()) {
            DistributionSummary.builder("tsr.judge.score")
                    .tag("model_role", role)
                    .register(registry)
                    .record(parsed.score());
        } else {
            Counter.builder("tsr.judge.parse.failures")
                    .tag("model_role", role)
                    .register(registry)
                    .increment();
        }
    }
}
