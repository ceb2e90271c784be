package org.tsr.judge.pairwise;

/** Which of two responses a pairwise judgment prefers once both orders were asked. */
public enum Verdict {
    FIRST,
    SECOND,
    /** The two orders disagreed, or one of them named neither response. */
    TIE;

    /**
     * Combines the choice with the responses in their given order ({@code forward}: 1 = first) and the choice with
     * them swapped ({@code reversed}: 1 = second). Only agreement decides; anything else is a tie, which cancels the
     * judge's position bias.
     */
    static Verdict combine(int forward, int reversed) {
        if (forward == 1 && reversed == 2) {
            return FIRST;
        }
        if (forward == 2 && reversed == 1) {
            return SECOND;
        }
        return TIE;
    }
}
