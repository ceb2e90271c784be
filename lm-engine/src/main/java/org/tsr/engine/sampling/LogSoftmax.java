package org.tsr.engine.sampling;

/** Log-probabilities from one row of raw logits, computed on the Java side like the token choice itself. */
final class LogSoftmax {

    private LogSoftmax() {}

    /** log(sum(exp(logits))) over the row: a token's log-probability is its logit minus this. */
    static double normalizer(float[] logits, int offset, int vocab) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    /** The ids of the {@code k} largest logits, largest first; equal logits in ascending id order. */
    static int[] mostLikely(float[] logits, int offset, int vocab, int k) {
        int count = Math.min(k, vocab);
        int[] ids = new int[count];
        if (count == 0) {
            return ids;
        }
        int kept = 0;
        for (int i = 0; i < vocab; i++) {
            float logit = logits[offset + i];
            if (kept == count && !(logit > logits[offset + ids[count - 1]])) {
                continue;
            }
            // insertion into the sorted prefix; ties stay behind the earlier (smaller) id
            int at = kept < count ? kept++ : count - 1;
            while (at > 0 && logit > logits[offset + ids[at - 1]]) {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = i;
        }
        return ids;
    }
}
