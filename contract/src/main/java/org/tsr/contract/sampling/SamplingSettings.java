package org.tsr.contract.sampling;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;

/**
 * How to sample, from a REST request or a work payload down to the engine's sampler (OpenAI's names where they
 * exist).
 *
 * @param n samples per prompt
 * @param temperature 0 decodes greedily
 * @param topP nucleus mass in (0, 1]
 * @param topK 0 disables it
 * @param maxTokens the most new tokens per sample
 * @param stop strings that end a sample, cut from its text
 * @param seed makes sampling reproducible; on the embedded engine each sample draws from a stream keyed by the seed,
 *     its sample index and its prompt's tokens, so a prompt's samples do not depend on what else is in the batch (and
 *     a prompt repeated within one call repeats its samples: ask for more samples per prompt instead)
 */
public record SamplingSettings(
        int n, double temperature, double topP, int topK, int maxTokens, List<String> stop, long seed) {

    public SamplingSettings {
        require(n >= 1 && n <= MAX_SAMPLES, "n", "must be 1 to " + MAX_SAMPLES + ", got " + n);
        require(temperature >= 0 && Double.isFinite(temperature), "temperature", "must be >= 0, got " + temperature);
        require(topP > 0 && topP <= 1, "topP", "must be in (0, 1], got " + topP);
        require(topK >= 0, "topK", "must be >= 0, got " + topK);
        require(
                maxTokens >= 1 && maxTokens <= MAX_TOKENS,
                "maxTokens",
                "must be 1 to " + MAX_TOKENS + " (and at most the model's context), got " + maxTokens);
        stop = stop == null ? List.of() : List.copyOf(stop);
        require(stop.stream().noneMatch(s -> s == null || s.isEmpty()), "stop", "must not contain empty strings");
        require(
                stop.size() <= 16 && stop.stream().allMatch(s -> s.length() <= 256),
                "stop",
                "holds at most 16" + " strings of at most 256 characters");
    }

    /** Samples per prompt at most: K in the papers is 4 to 8. */
    public static final int MAX_SAMPLES = 256;

    /** New tokens per sample at most, whatever the model; a model's own context may allow fewer. */
    public static final int MAX_TOKENS = 131_072;

    /** This sampling for a model whose context holds {@code contextLength} tokens, refused when it cannot fit. */
    public SamplingSettings requireFits(int contextLength) {
        require(
                maxTokens <= contextLength,
                "maxTokens",
                "must be at most the model's context of " + contextLength + " tokens, got " + maxTokens);
        return this;
    }

    /** {@code n} samples at a temperature, with top-p and top-k off. */
    public static SamplingSettings of(int n, double temperature, int maxTokens, long seed) {
        return new SamplingSettings(n, temperature, 1.0, 0, maxTokens, List.of(), seed);
    }

    /** One greedy completion. */
    public static SamplingSettings greedy(int maxTokens) {
        return new SamplingSettings(1, 0, 1, 0, maxTokens, List.of(), 0);
    }

    public SamplingSettings withTopK(int value) {
        return new SamplingSettings(n, temperature, topP, value, maxTokens, stop, seed);
    }

    @JsonIgnore
    public boolean isGreedy() {
        return temperature == 0;
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
