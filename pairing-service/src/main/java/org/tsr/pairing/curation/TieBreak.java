package org.tsr.pairing.curation;

import java.util.Comparator;

/**
 * How to choose between responses with equal scores, when picking the best (chosen) or the worst (rejected) of a
 * set. The papers leave this open; the default order is the one in the platform's design: lower judgment variance
 * (the judge was surer), then the shorter response, then the lower sample index.
 */
public enum TieBreak {
    LOWER_VARIANCE(Comparator.comparingDouble(Candidate::scoreVariance)),
    SHORTER(Comparator.comparingInt(Candidate::tokenCount)),
    LOWER_SAMPLE_INDEX(Comparator.comparingInt(Candidate::sampleIndex));

    private final Comparator<Candidate> preference;

    TieBreak(Comparator<Candidate> preference) {
        this.preference = preference;
    }

    /** Orders candidates so that the preferred one comes first. */
    Comparator<Candidate> preference() {
        return preference;
    }
}
