package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;

/** The Llama feed-forward block: down(silu(gate(x)) * up(x)). */
final class SwiGluMlp extends SameShapeLeaf {

    private final LinearProjection gate;
    private final LinearProjection up;
    private final LinearProjection down;

    SwiGluMlp(int hidden, int intermediate) {
        gate = new LinearProjection(declare("gate_proj.weight", Parameter.Type.WEIGHT, intermediate, hidden), null);
        up = new LinearProjection(declare("up_proj.weight", Parameter.Type.WEIGHT, intermediate, hidden), null);
        down = new LinearProjection(declare("down_proj.weight", Parameter.Type.WEIGHT, hidden, intermediate), null);
    }

    @Override
    NDArray apply(NDArray x) {
        NDArray g = gate.apply(x);
        NDArray silu = g.mul(g.getNDArrayInternal().sigmoid());
        NDArray u = up.apply(x);
        return down.apply(silu.mul(u));
    }

    /** The same computation with gate and up stacked into one weight. */
    NDArray applyFused(NDArray x, FusedProjections projections) {
        NDArray gateUp = projections.gateUp(x);
        long width = gateUp.getShape().get(gateUp.getShape().dimension() - 1) / 2;
        NDArray g = gateUp.get(new NDIndex("..., 0:{}", width));
        NDArray u = gateUp.get(new NDIndex("..., {}:", width));
        return down.apply(g.mul(g.getNDArrayInternal().sigmoid()).mul(u));
    }

    LinearProjection gate() {
        return gate;
    }

    LinearProjection up() {
        return up;
    }

    LinearProjection projection(LinearModule module) {
        return switch (module) {
            case GATE_PROJ -> gate;
            case UP_PROJ -> up;
            case DOWN_PROJ -> down;
            default -> throw new IllegalArgumentException(module.hfName() + " is not an MLP projection");
        };
    }
}
