package org.tsr.tasks;

/**
 * The oracle's verdict on one response: a score from 1 (worst) to 5 (exactly right, nothing else) and a short reason,
 * short enough for a tiny judge to learn to write it before its score.
 */
public record Grade(int score, String reason) {

    public static final int MIN = 1;
    public static final int MAX = 5;

    public Grade {
        if (score < MIN || score > MAX) {
            throw new IllegalArgumentException("a grade is between 1 and 5, got " + score);
        }
    }

    /** The judgment an EFT example teaches: the reason, then the score the judge's parser reads. */
    public String judgment() {
        return reason + ". Score: " + score;
    }
}
