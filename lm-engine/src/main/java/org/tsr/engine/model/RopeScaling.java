package org.tsr.engine.model;

/**
 * How a model stretches its rotary frequencies past the length it was pretrained on: the {@code rope_type} of
 * config.json's {@code rope_scaling} (transformers 4.x) or {@code rope_parameters} (5.x). Each variant computes
 * the inverse frequencies that transformers' {@code modeling_rope_utils.py} computes for its type, so a
 * checkpoint's positions mean here what they meant in training.
 */
public sealed interface RopeScaling
        permits RopeScaling.Unscaled, RopeScaling.Linear, RopeScaling.DynamicNtk, Llama3RopeScaling, YarnRopeScaling {

    RopeScaling NONE = new Unscaled();

    /** The {@code rope_type} name in config.json. */
    String type();

    /** One inverse frequency per rotated pair (headDim / 2 of them) for a sequence within the configured length. */
    double[] inverseFrequencies(int headDim, double theta);

    /** A factor on cos and sin, so on both rotated queries and keys; only yarn's differs from 1. */
    default double attentionFactor() {
        return 1.0;
    }

    /** The longest sequence the scaled model is meant to read, given its max_position_embeddings. */
    default int contextLength(int maxPositionEmbeddings) {
        return maxPositionEmbeddings;
    }

    /** The original RoPE frequencies, theta^(-2i/headDim). */
    static double[] defaultInverseFrequencies(int headDim, double theta) {
        double[] frequencies = new double[headDim / 2];
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        return frequencies;
    }

    /** rope_type {@code default}: the frequencies of the RoPE paper. */
    record Unscaled() implements RopeScaling {

        @Override
        public String type() {
            return "default";
        }

        @Override
        public double[] inverseFrequencies(int headDim, double theta) {
            return defaultInverseFrequencies(headDim, theta);
        }
    }

    /** rope_type {@code linear} (position interpolation): every frequency divided by the factor. */
    record Linear(double factor) implements RopeScaling {

        public Linear {
            requireFactor(factor);
        }

        @Override
        public String type() {
            return "linear";
        }

        @Override
        public double[] inverseFrequencies(int headDim, double theta) {
            double[] frequencies = defaultInverseFrequencies(headDim, theta);
            for (int i = 0; i < frequencies.length; i++) {
                frequencies[i] /= factor;
            }
            return frequencies;
        }
    }

    /**
     * rope_type {@code dynamic} (NTK-aware): within max_position_embeddings the frequencies are the original ones;
     * a longer sequence raises the base to theta * (factor * length / max - (factor - 1))^(d / (d - 2)), so the
     * frequencies depend on the length of the sequence being read (see {@link RotaryEmbedding}). Since the point
     * is to read past max_position_embeddings, the context this engine allows is factor times that.
     */
    record DynamicNtk(double factor) implements RopeScaling {

        public DynamicNtk {
            requireFactor(factor);
        }

        @Override
        public String type() {
            return "dynamic";
        }

        @Override
        public double[] inverseFrequencies(int headDim, double theta) {
            return defaultInverseFrequencies(headDim, theta);
        }

        @Override
        public int contextLength(int maxPositionEmbeddings) {
            return (int) Math.min(Integer.MAX_VALUE, Math.floor(Math.max(1.0, factor) * maxPositionEmbeddings));
        }

        /**
         * Exponents e_i with inverse frequency i at a raised base equal to the original one times ratio^e_i, where
         * ratio = factor * length / max - (factor - 1): theta'^(-2i/d) = theta^(-2i/d) * ratio^(-2i/(d-2)).
         */
        double[] ratioExponents(int headDim) {
            double[] exponents = new double[headDim / 2];
            for (int i = 0; i < exponents.length; i++) {
                exponents[i] = -2.0 * i / (headDim - 2);
            }
            return exponents;
        }
    }

    /** transformers only warns about odd factors; a non-positive one would make the frequencies meaningless. */
    private static void requireFactor(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("rope scaling factor must be a positive number, got " + factor);
        }
    }
}
