package org.tsr.inference;

import java.util.List;
import java.util.Objects;
import org.tsr.engine.generation.SamplingParams;

/**
 * How to sample, as payloads and REST requests state it (OpenAI's names where they exist).
 *
 * @param n samples per prompt
 * @param temperature 0 decodes greedily
 * @param topP nucleus mass in (0, 1]
 * @param topK 0 disables it
 * @param maxTokens the most new tokens per sample
 * @param stop strings that end a sample, cut from its text
 * @param seed makes sampling reproducible
 */
public record SamplingSettings(
        int n, double temperature, double topP, int topK, int maxTokens, List<String> stop, long seed) {

    public SamplingSettings {
        require(n >= 1, "n", "must be at least 1, got " + n);
        require(temperature >= 0 && Double.isFinite(temperature), "temperature", "must be >= 0, got " + temperature);
        require(topP > 0 && topP <= 1, "topP", "must be in (0, 1], got " + topP);
        require(topK >= 0, "topK", "must be >= 0, got " + topK);
        require(maxTokens >= 1, "maxTokens", "must be at least 1, got " + maxTokens);
        stop = stop == null ? List.of() : List.copyOf(stop);
        require(stop.stream().noneMatch(s -> s == null || s.isEmpty()), "stop", "must not contain empty strings");
    }

    /** The paper's policy sampling: 0.7 temperature, top-p 0.9. */
    public static SamplingSettings of(int n, double temperature, int maxTokens, long seed) {
        return new SamplingSettings(n, temperature, 1.0, 0, maxTokens, List.of(), seed);
    }

    public SamplingSettings withTopP(double value) {
        return new SamplingSettings(n, temperature, value, topK, maxTokens, stop, seed);
    }

    public SamplingSettings withStop(List<String> value) {
        return new SamplingSettings(n, temperature, topP, topK, maxTokens, value, seed);
    }

    public SamplingSettings withSeed(long value) {
        return new SamplingSettings(n, temperature, topP, topK, maxTokens, stop, value);
    }

    public SamplingParams toEngineParams() {
        return new SamplingParams(n, temperature, topP, topK, maxTokens, stop, seed);
    }

    private static void require(boolean condition, String field, String problem) {
        if (!condition) {
            throw new InvalidSamplingException(field, field + " " + problem);
        }
    }

    /** A sampling setting out of range; names the field for problem details. */
    public static final class InvalidSamplingException extends IllegalArgumentException {

        private final String field;

        InvalidSamplingException(String field, String message) {
            super(Objects.requireNonNull(message));
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
