package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication by a constant inside a computation that is differentiated later. Use it instead of
 * {@code NDArray.mul(Number)} wherever a gradient will flow.
 *
 * <p>DJL's PyTorch engine turns the number of {@code mul(Number)} into a tensor over a Java direct buffer and closes
 * that tensor as soon as the product exists. Autograd keeps the factor to compute the gradient, so once the garbage
 * collector frees the buffer, the backward pass multiplies by whatever the memory holds by then: gradients went
 * wrong by anything up to 1e11, more often the busier the collector. The factor here is allocated by PyTorch and
 * freed when the last tensor that needs it goes.
 */
public final class Scalars {

    private Scalars() {}

    /** x * factor, differentiable in x. */
    public static NDArray times(NDArray x, double factor) {
        return x.mul(x.getManager().full(new Shape(), (float) factor, x.getDataType()));
    }
}
