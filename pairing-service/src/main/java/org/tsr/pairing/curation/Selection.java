package org.tsr.pairing.curation;

import java.util.Objects;
import java.util.Optional;

/**
 * The chosen and rejected responses a rule picked for one prompt, kept as a pair only if the chosen one scored
 * strictly higher. TSR's second phase starts from the first phase's selection even where that was not kept.
 */
public record Selection(Candidate chosen, Candidate rejected) {

    public Selection {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        if (!chosen.isScored() || !rejected.isScored()) {
            throw new IllegalArgumentException("both sides of a selection need a score");
        }
    }

    public boolean isKept() {
        return chosen.score() > rejected.score();
    }

    /** The selection as a pair, if it is kept. */
    public Optional<Selection> asPair() {
        return isKept() ? Optional.of(this) : Optional.empty();
    }
}
