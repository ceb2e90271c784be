package org.tsr.pairing.curation;

import java.util.Objects;
import org.tsr.store.pair.ResponseSource;

/**
 * A response that may become a chosen or rejected side: its judge score (the mean of its valid judgments, or
 * {@code null} when none was valid), the variance of those judgments, its length in tokens and its sample index.
 */
public record Candidate(
        long responseId, ResponseSource source, Double score, double scoreVariance, int tokenCount, int sampleIndex) {

    public Candidate {
        Objects.requireNonNull(source, "source");
        if (score != null && !Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite, got " + score);
        }
    }

    public boolean isScored() {
        return score != null;
    }
}
