package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

/**
 * Copies of one layer's q/k/v and gate/up weights stacked along the output axis, so a decoding step runs
 * one matmul where the checkpoint layout needs three (and two). Decoding steps are small enough that the
 * number of native calls, not arithmetic, bounds their speed. The copies belong to a decoding run and die
 * with it, so they never go stale against parameters that training updates.
 *
 * @param qkvBias null when the projections have no bias
 */
record FusedProjections(NDArray qkvWeight, NDArray qkvBias, NDArray gateUpWeight) {

    static FusedProjections of(NDManager owner, Parameter[] qkv, Parameter[] qkvBiases, Parameter gate, Parameter up) {
        NDArray qkvWeight = stack(owner, qkv[0], qkv[1], qkv[2]);
        NDArray qkvBias = qkvBiases[0] == null ? null : stack(owner, qkvBiases[0], qkvBiases[1], qkvBiases[2]);
        return new FusedProjections(qkvWeight, qkvBias, stack(owner, gate, up));
    }

    private static NDArray stack(NDManager owner, Parameter... parameters) {
        NDList arrays = new NDList();
        for (Parameter parameter : parameters) {
            arrays.add(parameter.getArray());
        }
        // concat's result joins the first operand's (the model's) manager; move it to the run's
        NDArray stacked = NDArrays.concat(arrays, 0);
        stacked.attach(owner);
        return stacked;
    }
}
