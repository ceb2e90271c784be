package org.tsr.engine.generation;

import java.util.List;

/**
 * How to sample completions.
 *
 * @param samplesPerPrompt n completions per prompt
 * @param temperature 0 means greedy decoding
 * @param topP nucleus mass in (0, 1]; 1 disables it
 * @param topK keep only the k most likely tokens; 0 disables it
 * @param maxNewTokens upper bound on generated tokens per completion
 * @param stopStrings text that ends a completion; the completion's text is cut before it
 * @param seed makes sampling reproducible; each sample draws from a stream keyed by the seed, its sample index
 *     and its prompt's tokens, so a prompt's samples do not depend on what else is in the batch (and a prompt
 *     repeated within one call repeats its samples: ask for more samples per prompt instead)
 */
public record SamplingParams(
        int samplesPerPrompt,
        double temperature,
        double topP,
        int topK,
        int maxNewTokens,
        List<String> stopStrings,
        long seed) {

    public SamplingParams {
        if (samplesPerPrompt < 1) {
            throw new IllegalArgumentException("samplesPerPrompt must be at least 1, got " + samplesPerPrompt);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        stopStrings = List.copyOf(stopStrings);
        if (stopStrings.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop strings must not be empty");
        }
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(1, 0, 1, 0, maxNewTokens, List.of(), 0);
    }

    public static SamplingParams sample(int samplesPerPrompt, double temperature, int maxNewTokens, long seed) {
        return new SamplingParams(samplesPerPrompt, temperature, 1, 0, maxNewTokens, List.of(), seed);
    }

    public SamplingParams withTopP(double value) {
        return new SamplingParams(samplesPerPrompt, temperature, value, topK, maxNewTokens, stopStrings, seed);
    }

    public SamplingParams withTopK(int value) {
        return new SamplingParams(samplesPerPrompt, temperature, topP, value, maxNewTokens, stopStrings, seed);
    }

    public SamplingParams withStopStrings(List<String> value) {
        return new SamplingParams(samplesPerPrompt, temperature, topP, topK, maxNewTokens, value, seed);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
