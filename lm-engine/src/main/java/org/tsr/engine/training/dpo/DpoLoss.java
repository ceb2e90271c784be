package org.tsr.engine.training.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.tsr.engine.model.Scalars;

/**
 * The per-pair preference loss over log-probabilities (sums, or means when length-normalised) of the policy
 * and the reference. DJL has no log-sigmoid; -log sigmoid(x) is computed as softplus(-x), which stays finite
 * for large |x|.
 */
public final class DpoLoss {

    private final DpoOptions options;

    public DpoLoss(DpoOptions options) {
        this.options = options;
    }

    /**
     * @return the loss of each pair, shape (pairs); differentiable in the policy's log-probabilities
     */
    public NDArray perPair(
            NDArray policyChosen, NDArray policyRejected, NDArray referenceChosen, NDArray referenceRejected) {
        NDArray z = policyChosen.sub(policyRejected).sub(referenceChosen.sub(referenceRejected));
        float beta = (float) options.beta();
        return switch (options.lossType()) {
            case SIGMOID -> {
                NDArray agree = Activation.softPlus(Scalars.times(z, -beta));
                if (options.labelSmoothing() == 0) {
                    yield agree;
                }
                float smoothing = (float) options.labelSmoothing();
                yield Scalars.times(agree, 1 - smoothing)
                        .add(Scalars.times(Activation.softPlus(Scalars.times(z, beta)), smoothing));
            }
            case IPO -> z.sub((float) (1 / (2 * options.beta()))).square();
            case HINGE -> Activation.relu(Scalars.times(z, -beta).add(1f));
        };
    }

    /** beta * (policy - reference): the implicit reward TRL logs as rewards/chosen and rewards/rejected. */
    public float[] rewards(float[] policy, float[] reference) {
        float[] rewards = new float[policy.length];
        for (int i = 0; i < policy.length; i++) {
            rewards[i] = (float) (options.beta() * (policy[i] - reference[i]));
        }
        return rewards;
    }
}
