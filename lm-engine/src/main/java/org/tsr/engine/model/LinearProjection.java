package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import org.tsr.engine.precision.Bfloat16;

/**
 * One linear projection of a decoder layer (q/k/v/o, gate/up/down): its checkpoint weight and optional bias, and the
 * LoRA adapter attached to it, if any, added to its output while the adapters are enabled.
 */
final class LinearProjection {

    private final Parameter weight;
    private final Parameter bias;
    private LoraAdapter adapter;
    private Bfloat16 bfloat16;
    private NDArray bfloat16Weight;

    LinearProjection(Parameter weight, Parameter bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** x (..., in) to (..., out); results belong to x's manager. */
    NDArray apply(NDArray x) {
        NDArray y;
        if (bfloat16Weight != null) {
            y = bfloat16.linear(x, bfloat16Weight);
            y = bias == null ? y : y.add(bias.getArray());
        } else {
            y = Linear.linear(x, weight.getArray(), bias == null ? null : bias.getArray())
                    .singletonOrThrow();
        }
        return adapter != null && adapter.active() ? y.add(adapter.delta(x)) : y;
    }

    /** From now on the weight is applied as a bfloat16 copy (inference only: training would leave it stale). */
    void computeInBfloat16(Bfloat16 kernels) {
        bfloat16 = kernels;
        bfloat16Weight = kernels.copyOf(weight.getArray());
    }

    /** The bfloat16 kernels this projection computes with, or null in float32. */
    Bfloat16 bfloat16() {
        return bfloat16;
    }

    /**
     * The weight this projection computes with: the checkpoint's, or with an enabled adapter W + scale * B A, a new
     * array the caller closes (an NDScope does).
     */
    NDArray effectiveWeight() {
        return adapter != null && adapter.active() ? adapter.mergedInto(weight.getArray()) : weight.getArray();
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    LoraAdapter adapter() {
        return adapter;
    }

    void adapter(LoraAdapter adapter) {
        this.adapter = adapter;
    }
}
