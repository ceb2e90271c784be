package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A block with parameters of its own and no children that maps one array to one of the same shape (a norm, the MLP);
 * subclasses give only {@link #apply}, which DJL's forward also goes through.
 */
abstract class SameShapeLeaf extends ParameterSlots {

    abstract NDArray apply(NDArray x);

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
