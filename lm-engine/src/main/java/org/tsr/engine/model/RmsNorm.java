package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/** Root-mean-square layer normalisation with a learned scale and no bias. */
final class RmsNorm extends ParameterSlots {

    private final Parameter weight;
    private final float eps;

    RmsNorm(int size, double eps) {
        this.weight = declare("weight", Parameter.Type.GAMMA, size);
        this.eps = (float) eps;
    }

    NDArray apply(NDArray x) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(eps).sqrt()).mul(weight.getArray());
    }

    @Override
    void collect(String prefix, List<NamedParameter> into) {
        collectOwn(prefix, into);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
