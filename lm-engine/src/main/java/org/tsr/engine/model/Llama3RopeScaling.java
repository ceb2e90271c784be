package org.tsr.engine.model;

/**
 * rope_type {@code llama3} (Llama 3.1 and later): wavelengths shorter than the original context divided by
 * high_freq_factor stay as they are, wavelengths longer than it divided by low_freq_factor are stretched by the
 * factor, and the band between is interpolated smoothly; transformers' {@code _compute_llama3_parameters}.
 *
 * @param originalMaxPositionEmbeddings the context the model was pretrained with (8192 for Llama 3.1 and 3.2)
 */
public record Llama3RopeScaling(
        double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings)
        implements RopeScaling {

    public Llama3RopeScaling {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("llama3 rope factor must be a positive number, got " + factor);
        }
        if (!(highFreqFactor > lowFreqFactor) || !(lowFreqFactor > 0)) {
            // the smoothing divides by high - low, and both divide the original context
            throw new IllegalArgumentException("llama3 rope needs 0 < low_freq_factor < high_freq_factor, got "
                    + lowFreqFactor + " and " + highFreqFactor);
        }
        if (originalMaxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException(
                    "original_max_position_embeddings must be positive, got " + originalMaxPositionEmbeddings);
        }
    }

    @Override
    public String type() {
        return "llama3";
    }

    @Override
    public double[] inverseFrequencies(int headDim, double theta) {
        double[] frequencies = RopeScaling.defaultInverseFrequencies(headDim, theta);
        double lowFreqWavelength = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelength = originalMaxPositionEmbeddings / highFreqFactor;
        for (int i = 0; i < frequencies.length; i++) {
            double frequency = frequencies[i];
            double wavelength = 2 * Math.PI / frequency;
            if (wavelength > lowFreqWavelength) {
                frequencies[i] = frequency / factor;
            } else if (wavelength >= highFreqWavelength) {
                double smooth =
                        (originalMaxPositionEmbeddings / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                frequencies[i] = (1 - smooth) * frequency / factor + smooth * frequency;
            }
        }
        return frequencies;
    }
}
