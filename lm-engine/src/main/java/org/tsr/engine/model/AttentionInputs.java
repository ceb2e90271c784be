package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Positions and the additive attention mask for a batch whose rows may contain padding anywhere (left
 * padding for prompts, right padding for scoring, gaps where a finished prompt waited for the others).
 *
 * @param positions (batch, time) int64 rotary positions: the count of real tokens before each slot
 * @param bias (batch, 1, time, keyTime) float32: 0 where a query may attend, a large negative elsewhere
 */
public record AttentionInputs(NDArray positions, NDArray bias) {

    /** Finite, so a query slot that sees no real key (a padding slot) yields a uniform, not NaN, row. */
    static final float MASKED = -1e9f;

    /**
     * @param keyMask (batch, keyTime): true for real tokens, over cached and new slots
     * @param queryTime how many of the last slots are queries in this forward pass
     */
    public static AttentionInputs of(NDManager manager, boolean[][] keyMask, int queryTime) {
        int batch = keyMask.length;
        int keyTime = keyMask[0].length;
        int firstQuery = keyTime - queryTime;
        long[] positions = new long[batch * queryTime];
        float[] bias = new float[batch * queryTime * keyTime];
        for (int b = 0; b < batch; b++) {
            boolean[] row = keyMask[b];
            int realBefore = 0;
            for (int slot = 0; slot < firstQuery; slot++) {
                realBefore += row[slot] ? 1 : 0;
            }
            for (int query = 0; query < queryTime; query++) {
                int slot = firstQuery + query;
                positions[b * queryTime + query] = realBefore;
                realBefore += row[slot] ? 1 : 0;
                int offset = (b * queryTime + query) * keyTime;
                for (int key = 0; key < keyTime; key++) {
                    bias[offset + key] = key <= slot && row[key] ? 0f : MASKED;
                }
            }
        }
        return new AttentionInputs(
                manager.create(positions, new Shape(batch, queryTime)),
                manager.create(bias, new Shape(batch, 1, queryTime, keyTime)));
    }

    /** Every slot real: a plain causal mask. */
    public static AttentionInputs causal(NDManager manager, int batch, int time) {
        boolean[][] mask = new boolean[batch][time];
        for (boolean[] row : mask) {
            java.util.Arrays.fill(row, true);
        }
        return of(manager, mask, time);
    }
}
