package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Copies of one layer's q/k/v and gate/up weights stacked along the output axis, so a decoding step runs
 * one matmul where the checkpoint layout needs three (and two). Decoding steps are small enough that the
 * number of native calls, not arithmetic, bounds their speed. The copies belong to a decoding run and die
 * with it, so they never go stale against parameters that training updates. A projection with an enabled LoRA
 * adapter is stacked merged (W + scale * B A), which computes what its separate weight and adapter compute.
 *
 * @param qkvBias null when the projections have no bias
 */
record FusedProjections(NDArray qkvWeight, NDArray qkvBias, NDArray gateUpWeight) {

    static FusedProjections of(NDManager owner, LinearProjection[] qkv, LinearProjection gate, LinearProjection up) {
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
            return new FusedProjections(qkvWeight, qkvBias, stack(owner, gate.effectiveWeight(), up.effectiveWeight()));
        }
    }

    /** Merged weights are temporaries of the scope; the stacked copy leaves it for the run's manager. */
    private static NDArray stack(NDManager owner, NDArray... weights) {
        NDArray stacked = NDArrays.concat(new NDList(weights), 0);
        NDScope.unregister(stacked);
        stacked.attach(owner);
        return stacked;
    }
}
