package org.tsr.generator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;
import org.tsr.inference.GeneratedText;

/**
 * The generator's meters: {@code tsr.generate.requests} (backend calls), {@code tsr.generate.tokens} (tokens
 * sampled) and {@code tsr.generate.latency} (time per backend call), tagged by backend (embedded, remote) and model
 * role (policy, anchor, future, eval, direct, openai).
 */
@Component
public class GenerationMeters {

    private final MeterRegistry registry;

    GenerationMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String backend, String modelRole, Duration latency, List<List<GeneratedText>> samples) {
        String role = modelRole.toLowerCase(Locale.ROOT);
        long tokens = samples.stream()
                .flatMap(List::stream)
                .mapToLong(GeneratedText::completionTokens)
                .sum();
        Counter.builder("tsr.generate.requests")
                .tag("backend", backend)
                .tag("model_role", role)
                .register(registry)
                .increment();
        Counter.builder("tsr.generate.tokens")
                .tag("backend", backend)
                .tag("model_role", role)
                .register(registry)
                .increment(tokens);
        Timer.builder("tsr.generate.latency")
                .tag("backend", backend)
                .tag("model_role", role)
                .register(registry)
                .record(latency);
    }
}
