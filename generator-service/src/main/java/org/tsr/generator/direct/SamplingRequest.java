package org.tsr.generator.direct;

import java.util.List;
import org.tsr.contract.sampling.SamplingSettings;

/** Sampling settings of a direct request; a field left out takes the default shown. */
public record SamplingRequest(
        Integer n, Double temperature, Double topP, Integer topK, Integer maxTokens, List<String> stop, Long seed) {

    /** n 1, temperature 0.7, top-p 0.9, top-k off, 128 tokens, no stop strings, seed 0. */
    SamplingSettings toSettings() {
        return new SamplingSettings(
                n == null ? 1 : n,
                temperature == null ? 0.7 : temperature,
                topP == null ? 0.9 : topP,
                topK == null ? 0 : topK,
                maxTokens == null ? 128 : maxTokens,
                stop == null ? List.of() : stop,
                seed == null ? 0 : seed);
    }
}
