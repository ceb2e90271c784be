package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.core.Linear;
import org.tsr.engine.precision.Bfloat16;

/**
 * Copies of one layer's q/k/v and gate/up weights stacked along the output axis, so a decoding step runs
 * one matmul where the checkpoint layout needs three (and two). Decoding steps are small enough that the
 * number of native calls, not arithmetic, bounds their speed. The copies belong to a decoding run and die
 * with it, so they never go stale against parameters that training updates. A projection with an enabled LoRA
 * adapter is stacked merged (W + scale * B A), which computes what its separate weight and adapter compute.
 *
 * @param qkvBias null when the projections have no bias
 * @param bfloat16 the kernels when the model computes in bfloat16 (the stacked weights are then bfloat16), else null
 */
record FusedProjections(NDArray qkvWeight, NDArray qkvBias, NDArray gateUpWeight, Bfloat16 bfloat16) {

    static FusedProjections of(NDManager owner, LinearProjection[] qkv, LinearProjection gate, LinearProjection up) {
        Bfloat16 kernels = qkv[0].bfloat16();
        try (NDScope scope = new NDScope()) {
            NDArray qkvWeight =
                    stack(owner, qkv[0].effectiveWeight(), qkv[1].effectiveWeight(), qkv[2].effectiveWeight());
            NDArray qkvBias = qkv[0].bias() == null
                    ? null
                    : stack(
                            owner,
                            qkv[0].bias().getArray(),
                            qkv[1].bias().getArray(),
                            qkv[2].bias().getArray());
            NDArray gateUpWeight = stack(owner, gate.effectiveWeight(), up.effectiveWeight());
            if (kernels != null) {
                // the run keeps bfloat16 copies of the stacked weights and frees the float32 ones
                NDArray qkvFloat = qkvWeight;
                NDArray gateUpFloat = gateUpWeight;
                qkvWeight = kernels.copyOf(qkvFloat);
                gateUpWeight = kernels.copyOf(gateUpFloat);
                NDScope.unregister(qkvWeight, gateUpWeight);
                qkvFloat.close();
                gateUpFloat.close();
            }
            return new FusedProjections(qkvWeight, qkvBias, gateUpWeight, kernels);
        }
    }

    /** x times the stacked q/k/v weight, plus the stacked bias if any. */
    NDArray qkv(NDArray x) {
        if (bfloat16 == null) {
            return Linear.linear(x, qkvWeight, qkvBias).singletonOrThrow();
        }
        NDArray y = bfloat16.linear(x, qkvWeight);
        return qkvBias == null ? y : y.add(qkvBias);
    }

    /** x times the stacked gate/up weight. */
    NDArray gateUp(NDArray x) {
        return bfloat16 == null ? Linear.linear(x, gateUpWeight).singletonOrThrow() : bfloat16.linear(x, gateUpWeight);
    }

    /** Merged weights are temporaries of the scope; the stacked copy leaves it for the run's manager. */
    private static NDArray stack(NDManager owner, NDArray... weights) {
        NDArray stacked = NDArrays.concat(new NDList(weights), 0);
        NDScope.unregister(stacked);
        stacked.attach(owner);
        return stacked;
    }
}
