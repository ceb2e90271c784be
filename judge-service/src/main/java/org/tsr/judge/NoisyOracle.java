package org.tsr.judge;

import java.util.SplittableRandom;
import org.tsr.tasks.Grade;

/**
 * A judge of known accuracy for the judge-accuracy sweep: each judge sample is the oracle's grade with probability
 * {@code accuracy}, otherwise one of the other grades drawn uniformly. Every draw depends only on the seed, the
 * response and the sample index, so a retried unit judges exactly as before, and samples are independent of each
 * other.
 *
 * @param accuracy the nominal chance that a sample is the oracle's grade, in [0, 1]
 * @param seed the run's judging seed
 */
public record NoisyOracle(double accuracy, long seed) {

    public NoisyOracle {
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("a noisy oracle's accuracy must be in [0, 1], got " + accuracy);
        }
    }

    /** The score of sample {@code sampleIndex} of response {@code responseId}, whose oracle grade is {@code grade}. */
    public int score(int grade, long responseId, int sampleIndex) {
        SplittableRandom random = new SplittableRandom(mix(mix(seed) ^ responseId) + sampleIndex);
        if (random.nextDouble() < accuracy) {
            return grade;
        }
        // one of the grades other than the oracle's, uniformly
        int other = Grade.MIN + random.nextInt(Grade.MAX - Grade.MIN);
        return other >= grade ? other + 1 : other;
    }

    /** SplittableRandom's 64-bit finaliser, so nearby ids and indexes draw unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93e34e53b89L;
        return z ^ (z >>> 33);
    }
}
