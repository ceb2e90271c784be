package org.tsr.pairing.curation;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tsr.store.pair.ResponseSource;

/**
 * The preference-pair rules of Self-Rewarding and Temporal Self-Rewarding, for the responses to one prompt.
 * Unscored responses (no valid judgment) take no part; a prompt with fewer than two scored responses in play gives
 * no selection.
 */
public final class PairRules {

    private final Comparator<Candidate> bestFirst;
    private final Comparator<Candidate> worstFirst;

    public PairRules(List<TieBreak> tieBreaks) {
        Comparator<Candidate> ties = Comparator.comparingInt(c -> 0);
        for (TieBreak tieBreak : tieBreaks) {
            ties = ties.thenComparing(tieBreak.preference());
        }
        // the response id last, so that the same table always gives the same pair
        ties = ties.thenComparingLong(Candidate::responseId);
        Comparator<Candidate> byScore = Comparator.comparingDouble(Candidate::score);
        this.bestFirst = byScore.reversed().thenComparing(ties);
        this.worstFirst = byScore.thenComparing(ties);
    }

    public static PairRules withDefaultTieBreaks() {
        return new PairRules(List.of(TieBreak.LOWER_VARIANCE, TieBreak.SHORTER, TieBreak.LOWER_SAMPLE_INDEX));
    }

    /** SR: chosen = the best policy response, rejected = the worst; a tie gives a selection that is not kept. */
    public Optional<Selection> selfRewarding(List<Candidate> policy) {
        List<Candidate> scored = scored(policy, ResponseSource.POLICY);
        if (scored.size() < 2) {
            return Optional.empty();
        }
        Candidate chosen = best(scored);
        return Optional.of(new Selection(chosen, worstOtherThan(chosen, scored)));
    }

    /**
     * TSR phase 1 (D1), anchored rejection: chosen = the best policy response; rejected = the worst anchor (M0)
     * response if it scored strictly below the worst policy response, else the worst policy response.
     */
    public Optional<Selection> anchoredRejection(List<Candidate> policy, List<Candidate> anchor) {
        List<Candidate> scoredPolicy = scored(policy, ResponseSource.POLICY);
        List<Candidate> scoredAnchor = scored(anchor, ResponseSource.ANCHOR);
        if (scoredPolicy.isEmpty() || scoredPolicy.size() + scoredAnchor.size() < 2) {
            return Optional.empty();
        }
        Candidate chosen = best(scoredPolicy);
        Candidate worstAnchor = scoredAnchor.isEmpty() ? null : worst(scoredAnchor);
        if (scoredPolicy.size() == 1) {
            // the policy's worst is its best: only an anchor strictly below it can be rejected
            return worstAnchor != null && worstAnchor.score() < chosen.score()
                    ? Optional.of(new Selection(chosen, worstAnchor))
                    : Optional.empty();
        }
        Candidate worstPolicy = worstOtherThan(chosen, scoredPolicy);
        boolean anchorIsLower = worstAnchor != null && worstAnchor.score() < worstPolicy.score();
        return Optional.of(new Selection(chosen, anchorIsLower ? worstAnchor : worstPolicy));
    }

    /**
     * TSR phase 2 (D2), future-guided chosen: the future model's best response replaces the phase-1 chosen one if it
     * scored strictly higher; the rejected response stays.
     */
    public Selection futureGuidedChosen(Selection phaseOne, List<Candidate> future) {
        Objects.requireNonNull(phaseOne, "phaseOne");
        List<Candidate> scoredFuture = scored(future, ResponseSource.FUTURE);
        if (scoredFuture.isEmpty()) {
            return phaseOne;
        }
        Candidate bestFuture = best(scoredFuture);
        return bestFuture.score() > phaseOne.chosen().score()
                ? new Selection(bestFuture, phaseOne.rejected())
                : phaseOne;
    }

    private Candidate best(List<Candidate> candidates) {
        return candidates.stream().min(bestFirst).orElseThrow();
    }

    private Candidate worst(List<Candidate> candidates) {
        return candidates.stream().min(worstFirst).orElseThrow();
    }

    /**
     * The worst candidate that is not the chosen one. It differs from the plain worst only when every candidate tied,
     * where the tie-breaks would otherwise pick the chosen response for both sides; the resulting selection is a tie
     * and not kept, but TSR's second phase can still replace its chosen side.
     */
    private Candidate worstOtherThan(Candidate chosen, List<Candidate> candidates) {
        return candidates.stream()
                .filter(candidate -> candidate.responseId() != chosen.responseId())
                .min(worstFirst)
                .orElseThrow();
    }

    private static List<Candidate> scored(List<Candidate> candidates, ResponseSource expected) {
        for (Candidate candidate : candidates) {
            if (candidate.source() != expected) {
                throw new IllegalArgumentException("response " + candidate.responseId() + " is a " + candidate.source()
                        + " response, expected " + expected);
            }
        }
        return candidates.stream().filter(Candidate::isScored).toList();
    }
}
