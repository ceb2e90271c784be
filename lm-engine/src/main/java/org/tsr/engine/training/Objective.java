package org.tsr.engine.training;

import ai.djl.ndarray.NDManager;
import java.util.List;

/** What a run minimises: the loss of one batch of examples, computed with gradients to the model. */
@FunctionalInterface
public interface Objective<T> {

    /** @param manager owns every array of the pass; the trainer closes it after the backward pass */
    BatchLoss forward(NDManager manager, List<T> batch);
}
