package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;

/**
 * A low-rank update of one projection (Hu et al. 2021, as PEFT implements it): y = W x + (alpha / r) B A dropout(x),
 * A (r, in) and B (out, r). Dropout acts on the adapter's input during training passes only.
 */
final class LoraAdapter {

    private final LoraAdapters owner;
    private final NamedParameter a;
    private final NamedParameter b;
    private final float scale;

    LoraAdapter(LoraAdapters owner, NamedParameter a, NamedParameter b, float scale) {
        this.owner = owner;
        this.a = a;
        this.b = b;
        this.scale = scale;
    }

    boolean active() {
        return owner.enabled();
    }

    /** scale * B A dropout(x), in x's manager. */
    NDArray delta(NDArray x) {
        NDArray input = x;
        if (owner.dropoutActive()) {
            input = Dropout.dropout(x, (float) owner.dropout(), true).singletonOrThrow();
        }
        NDArray down = Linear.linear(input, a.parameter().getArray()).singletonOrThrow();
        return Scalars.times(Linear.linear(down, b.parameter().getArray()).singletonOrThrow(), scale);
    }

    /** W + scale * B A as a new array (in B's manager, so callers scope it). */
    NDArray mergedInto(NDArray weight) {
        return b.parameter()
                .getArray()
                .matMul(a.parameter().getArray())
                .muli(scale)
                .addi(weight);
    }

    NamedParameter a() {
        return a;
    }

    NamedParameter b() {
        return b;
    }

    static Parameter parameter(String name) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
    }
}
