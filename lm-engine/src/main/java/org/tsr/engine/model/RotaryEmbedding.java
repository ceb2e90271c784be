package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in the rotate-half convention of Hugging Face Llama checkpoints: the head
 * dimension is split into two halves (not interleaved pairs), and frequency i is shared by dims i and
 * i + headDim/2. The frequencies follow the config's rope scaling (see {@link RopeScaling}).
 */
final class RotaryEmbedding {

    private final int headDim;
    private final float[] inverseFrequencies;
    private final float attentionFactor;
    private final float[] rotateHalfMatrix;
    /** Set for dynamic NTK scaling, whose frequencies depend on the length being read. */
    private final RopeScaling.DynamicNtk dynamic;

    private final float[] dynamicExponents;
    private final int maxPositionEmbeddings;

    RotaryEmbedding(ModelConfig config) {
        headDim = config.headDim();
        RopeScaling scaling = config.ropeScaling();
        inverseFrequencies = toFloats(scaling.inverseFrequencies(headDim, config.ropeTheta()));
        attentionFactor = (float) scaling.attentionFactor();
        dynamic = scaling instanceof RopeScaling.DynamicNtk ntk ? ntk : null;
        dynamicExponents = dynamic == null ? null : toFloats(dynamic.ratioExponents(headDim));
        maxPositionEmbeddings = config.maxPositionEmbeddings();
        int half = headDim / 2;
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
        if (dynamic != null) {
            frequencies = frequencies.mul(dynamicRatio(positions)
                    .log()
                    .mul(manager.create(dynamicExponents))
                    .exp());
        }
        NDArray angles =
                positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(frequencies);
        NDArray doubled =
                NDArrays.concat(new ai.djl.ndarray.NDList(angles, angles), -1).expandDims(1);
        NDArray rotation = manager.create(rotateHalfMatrix, new Shape(headDim, headDim));
        NDArray cos = doubled.cos();
        NDArray sin = doubled.sin();
        if (attentionFactor != 1f) {
            cos = cos.mul(attentionFactor);
            sin = sin.mul(attentionFactor);
        }
        return new Angles(cos, sin, rotation);
    }

    /**
     * factor * length / max - (factor - 1) at least 1, where length is the largest position plus one, as
     * transformers' dynamic_rope_update measures it (over the whole batch); computed on the device, so decoding
     * does not wait for a copy to the host.
     */
    private NDArray dynamicRatio(NDArray positions) {
        double factor = dynamic.factor();
        return positions
                .max()
                .add(1)
                .toType(DataType.FLOAT32, false)
                .mul((float) (factor / maxPositionEmbeddings))
                .sub((float) (factor - 1))
                .maximum(1f);
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** Per-call rotary tables, shaped (batch, 1, time, headDim) to broadcast over heads. */
    record Angles(NDArray cos, NDArray sin, NDArray rotateHalf) {

        /** Rotates x of shape (batch, heads, time, headDim). */
        NDArray apply(NDArray x) {
            return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
        }
    }
}
