package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/** Root-mean-square layer normalisation with a learned scale and no bias. */
final class RmsNorm extends SameShapeLeaf {

    private final Parameter weight;
    private final float eps;

    RmsNorm(int size, double eps) {
        this.weight = declare("weight", Parameter.Type.GAMMA, size);
        this.eps = (float) eps;
    }

    @Override
    NDArray apply(NDArray x) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(eps).sqrt()).mul(weight.getArray());
    }
}
