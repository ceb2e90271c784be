package org.tsr.engine.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.tsr.contract.sampling.SamplingSettings;

/**
 * Picks the next token from one row of logits: argmax at temperature 0, else a draw from the
 * temperature-scaled distribution restricted to the top-k tokens and the top-p nucleus. Runs on the
 * Java side so each sequence has its own seeded random stream.
 */
final class TokenChooser {

    private final SamplingSettings params;

    TokenChooser(SamplingSettings params) {
        this.params = params;
    }

    int choose(float[] logits, int offset, int vocab, SplittableRandom random) {
        if (params.isGreedy()) {
            return argmax(logits, offset, vocab);
        }
        int[] candidates = params.topK() == 0 && params.topP() == 1
                ? allTokensStartingWithTheBest(logits, offset, vocab)
                : candidates(logits, offset, vocab);
        double max = logits[offset + candidates[0]];
        double[] weights = new double[candidates.length];
        double total = 0;
        for (int i = 0; i < candidates.length; i++) {
            weights[i] = Math.exp((logits[offset + candidates[i]] - max) / params.temperature());
            total += weights[i];
        }
        int kept = candidates.length;
        if (params.topP() < 1) {
            double mass = 0;
            for (int i = 0; i < candidates.length; i++) {
                mass += weights[i] / total;
                if (mass >= params.topP()) {
                    kept = i + 1;
                    break;
                }
            }
            total = 0;
            for (int i = 0; i < kept; i++) {
                total += weights[i];
            }
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < kept; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return candidates[i];
            }
        }
        return candidates[kept - 1];
    }

    /** No filtering: any order works as long as the first id has the largest logit (for stability). */
    private static int[] allTokensStartingWithTheBest(float[] logits, int offset, int vocab) {
        int best = argmax(logits, offset, vocab);
        int[] ids = new int[vocab];
        ids[0] = best;
        for (int i = 0, next = 1; i < vocab; i++) {
            if (i != best) {
                ids[next++] = i;
            }
        }
        return ids;
    }

    /** Token ids sorted by descending logit (ties by ascending id), cut to top-k when set. */
    private int[] candidates(float[] logits, int offset, int vocab) {
        // one primitive sort of (logit, id) packed into longs: large vocabularies sort in milliseconds
        long[] keys = new long[vocab];
        for (int i = 0; i < vocab; i++) {
            int bits = Float.floatToIntBits(logits[offset + i]);
            int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) ~ascending << 32) | i;
        }
        Arrays.sort(keys);
        int count = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = (int) keys[i];
        }
        return ids;
    }

    static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
