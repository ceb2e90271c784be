package org.tsr.engine.model;

/**
 * rope_type {@code yarn}: high frequencies (many rotations within the original context) are kept, low ones are
 * interpolated by the factor, with a linear ramp between the dimensions where beta_fast and beta_slow rotations
 * fit into the original context; cos and sin are multiplied by an attention factor. transformers'
 * {@code _compute_yarn_parameters}.
 *
 * @param originalMaxPositionEmbeddings the context the ramp is measured against
 * @param attentionFactor the factor on cos and sin, already resolved from attention_factor, or mscale and
 *     mscale_all_dim, or 0.1 ln(factor) + 1 (see {@link #defaultAttentionFactor})
 * @param truncate whether the ramp's ends are rounded outwards to whole dimensions (transformers' default)
 */
public record YarnRopeScaling(
        double factor,
        int originalMaxPositionEmbeddings,
        double attentionFactor,
        double betaFast,
        double betaSlow,
        boolean truncate)
        implements RopeScaling {

    public YarnRopeScaling {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("yarn rope factor must be a positive number, got " + factor);
        }
        if (originalMaxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException(
                    "original_max_position_embeddings must be positive, got " + originalMaxPositionEmbeddings);
        }
        if (!(attentionFactor > 0) || Double.isInfinite(attentionFactor)) {
            throw new IllegalArgumentException("yarn attention_factor must be positive, got " + attentionFactor);
        }
    }

    /**
     * transformers' default when attention_factor is absent: get_mscale(factor, mscale) / get_mscale(factor,
     * mscale_all_dim) when both are set (DeepSeek's configs), else get_mscale(factor) = 0.1 ln(factor) + 1.
     *
     * @param mscale 0 when absent
     * @param mscaleAllDim 0 when absent
     */
    public static double defaultAttentionFactor(double factor, double mscale, double mscaleAllDim) {
        if (mscale != 0 && mscaleAllDim != 0) {
            return mscale(factor, mscale) / mscale(factor, mscaleAllDim);
        }
        return mscale(factor, 1);
    }

    private static double mscale(double scale, double mscale) {
        return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
    }

    @Override
    public String type() {
        return "yarn";
    }

    @Override
    public double[] inverseFrequencies(int headDim, double theta) {
        double low = correctionDimension(betaFast, headDim, theta);
        double high = correctionDimension(betaSlow, headDim, theta);
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, headDim - 1);
        if (low == high) {
            high += 0.001; // as transformers does, to keep the ramp finite
        }
        double[] frequencies = new double[headDim / 2];
        for (int i = 0; i < frequencies.length; i++) {
            double extrapolation = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            double interpolation = extrapolation / factor;
            double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
            double extrapolationWeight = 1 - ramp;
            frequencies[i] = interpolation * (1 - extrapolationWeight) + extrapolation * extrapolationWeight;
        }
        return frequencies;
    }

    /** The dimension whose frequency turns {@code rotations} times within the original context. */
    private double correctionDimension(double rotations, int headDim, double theta) {
        return headDim * Math.log(originalMaxPositionEmbeddings / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
    }
}
