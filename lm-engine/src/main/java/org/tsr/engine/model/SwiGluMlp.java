package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;

/** The Llama feed-forward block: down(silu(gate(x)) * up(x)). */
final class SwiGluMlp extends SameShapeLeaf {

    private final Parameter gate;
    private final Parameter up;
    private final Parameter down;

    SwiGluMlp(int hidden, int intermediate) {
        gate = declare("gate_proj.weight", Parameter.Type.WEIGHT, intermediate, hidden);
        up = declare("up_proj.weight", Parameter.Type.WEIGHT, intermediate, hidden);
        down = declare("down_proj.weight", Parameter.Type.WEIGHT, hidden, intermediate);
    }

    @Override
    NDArray apply(NDArray x) {
        NDArray g = Linear.linear(x, gate.getArray()).singletonOrThrow();
        NDArray silu = g.mul(g.getNDArrayInternal().sigmoid());
        NDArray u = Linear.linear(x, up.getArray()).singletonOrThrow();
        return Linear.linear(silu.mul(u), down.getArray()).singletonOrThrow();
    }

    /** The same computation with gate and up stacked into one weight. */
    NDArray applyFused(NDArray x, FusedProjections projections) {
        NDArray gateUp = Linear.linear(x, projections.gateUpWeight()).singletonOrThrow();
        long width = gateUp.getShape().get(gateUp.getShape().dimension() - 1) / 2;
        NDArray g = gateUp.get(new NDIndex("..., 0:{}", width));
        NDArray u = gateUp.get(new NDIndex("..., {}:", width));
        return Linear.linear(g.mul(g.getNDArrayInternal().sigmoid()).mul(u), down.getArray())
                .singletonOrThrow();
    }

    Parameter gate() {
        return gate;
    }

    Parameter up() {
        return up;
    }
}
