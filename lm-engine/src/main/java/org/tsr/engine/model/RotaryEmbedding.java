package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in the rotate-half convention of Hugging Face Llama checkpoints: the head
 * dimension is split into two halves (not interleaved pairs), and frequency i is shared by dims i and
 * i + headDim/2.
 */
final class RotaryEmbedding {

    private final int headDim;
    private final float[] inverseFrequencies;
    private final float[] rotateHalfMatrix;

    RotaryEmbedding(int headDim, double theta) {
        this.headDim = headDim;
        int half = headDim / 2;
        inverseFrequencies = new float[half];
        for (int i = 0; i < half; i++) {
            inverseFrequencies[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
        }
        // x @ R == cat(-x2, x1): one matmul instead of two slices, a negation and a concat
        rotateHalfMatrix = new float[headDim * headDim];
        for (int j = 0; j < half; j++) {
            rotateHalfMatrix[(j + half) * headDim + j] = -1f;
            rotateHalfMatrix[j * headDim + j + half] = 1f;
        }
    }

    /**
     * The cos/sin tables for the given positions, created in the positions' manager.
     *
     * @param positions (batch, time) int64 positions
     */
    Angles at(NDArray positions) {
        NDManager manager = positions.getManager();
        NDArray frequencies = manager.create(inverseFrequencies);
        NDArray angles =
                positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(frequencies);
        NDArray doubled =
                NDArrays.concat(new ai.djl.ndarray.NDList(angles, angles), -1).expandDims(1);
        NDArray rotation = manager.create(rotateHalfMatrix, new Shape(headDim, headDim));
        return new Angles(doubled.cos(), doubled.sin(), rotation);
    }

    /** Per-call rotary tables, shaped (batch, 1, time, headDim) to broadcast over heads. */
    record Angles(NDArray cos, NDArray sin, NDArray rotateHalf) {

        /** Rotates x of shape (batch, heads, time, headDim). */
        NDArray apply(NDArray x) {
            return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
        }
    }
}
