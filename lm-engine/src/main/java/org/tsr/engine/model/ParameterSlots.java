package org.tsr.engine.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Base for the decoder's blocks: each parameter is declared once with its Hugging Face name and shape, so
 * the checkpoint mapping and DJL's parameter list cannot drift apart.
 */
abstract class ParameterSlots extends AbstractBlock {

    private final List<NamedParameter> slots = new ArrayList<>();

    /** Declares a parameter; its array is set later from a checkpoint or an initializer. */
    protected final Parameter declare(String name, Parameter.Type type, long... shape) {
        Parameter parameter =
                addParameter(Parameter.builder().setName(name).setType(type).build());
        slots.add(new NamedParameter(name, parameter, new Shape(shape)));
        return parameter;
    }

    /** This block's own parameters in declaration order, with names relative to this block. */
    protected List<NamedParameter> ownSlots() {
        return slots;
    }

    /** All parameters of this block and its children, named as in a checkpoint under {@code prefix}. */
    abstract void collect(String prefix, List<NamedParameter> into);

    protected final void collectOwn(String prefix, List<NamedParameter> into) {
        for (NamedParameter slot : slots) {
            into.add(new NamedParameter(prefix + slot.name(), slot.parameter(), slot.shape()));
        }
    }
}
