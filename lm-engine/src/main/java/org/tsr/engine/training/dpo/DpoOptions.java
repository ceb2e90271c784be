package org.tsr.engine.training.dpo;

import org.tsr.engine.training.InvalidTrainingOptionException;

/**
 * The preference objective.
 *
 * @param beta the strength of the implicit KL constraint (the SR paper: 0.1)
 * @param labelSmoothing the assumed share of flipped labels, for the sigmoid loss; 0 is plain DPO
 * @param rpoAlpha weight of the NLL of the chosen response added to the loss (RPO); 0 leaves it out
 * @param lengthNormalized compare mean per-token log-probabilities instead of sums (policy and reference)
 */
public record DpoOptions(
        double beta, DpoLossType lossType, double labelSmoothing, double rpoAlpha, boolean lengthNormalized) {

    public DpoOptions {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new InvalidTrainingOptionException("beta", "beta must be > 0, got " + beta);
        }
        if (lossType == null) {
            throw new InvalidTrainingOptionException("lossType", "lossType is required");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new InvalidTrainingOptionException(
                    "labelSmoothing", "labelSmoothing must be in [0, 0.5), got " + labelSmoothing);
        }
        if (labelSmoothing > 0 && lossType != DpoLossType.SIGMOID) {
            throw new InvalidTrainingOptionException(
                    "labelSmoothing", "labelSmoothing applies to the SIGMOID loss only, not " + lossType);
        }
        if (!(rpoAlpha >= 0) || !Double.isFinite(rpoAlpha)) {
            throw new InvalidTrainingOptionException("rpoAlpha", "rpoAlpha must be >= 0, got " + rpoAlpha);
        }
    }

    /** The paper's DPO: sigmoid loss, beta 0.1, summed log-probabilities. */
    public static DpoOptions sigmoid(double beta) {
        return new DpoOptions(beta, DpoLossType.SIGMOID, 0, 0, false);
    }
}
