package org.tsr.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.Optional;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.InferenceMode;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.model.NamedParameter;

/** The parameters a run updates, with gradients attached, and what the trainer asks of their gradients. */
public final class TrainableParameters {

    private final List<NamedParameter> parameters;

    private TrainableParameters(List<NamedParameter> parameters) {
        this.parameters = parameters;
    }

    /** Every parameter of the network, each set to collect gradients. */
    public static TrainableParameters all(CausalLm network) {
        List<NamedParameter> parameters = network.namedParameters();
        for (NamedParameter parameter : parameters) {
            parameter.parameter().getArray().setRequiresGradient(true);
        }
        return new TrainableParameters(parameters);
    }

    /**
     * What a run trains: the LoRA adapters when the network has some, its base weights frozen (no gradients);
     * otherwise every parameter.
     */
    public static TrainableParameters of(CausalLm network) {
        Optional<LoraAdapters> lora = network.lora();
        if (lora.isEmpty()) {
            return all(network);
        }
        for (NamedParameter parameter : network.namedParameters()) {
            parameter.parameter().getArray().setRequiresGradient(false);
        }
        List<NamedParameter> adapters = lora.get().parameters();
        for (NamedParameter parameter : adapters) {
            parameter.parameter().getArray().setRequiresGradient(true);
        }
        return new TrainableParameters(adapters);
    }

    public List<NamedParameter> list() {
        return parameters;
    }

    /** The L2 norm of all gradients together, as PyTorch's clip_grad_norm_ computes it; NaN or infinite if any is. */
    public double globalGradientNorm() {
        try (NDScope scope = new NDScope()) {
            NDList squares = new NDList(parameters.size());
            for (NamedParameter parameter : parameters) {
                NDArray gradient = parameter.parameter().getArray().getGradient();
                squares.add(gradient.square().sum());
            }
            return Math.sqrt(NDArrays.stack(squares).sum().getFloat());
        }
    }

    /**
     * The name of the first parameter holding a NaN or an infinity, found with one reduction per parameter and a
     * single copy to Java; empty when every value is finite.
     */
    public Optional<String> firstNonFinite() {
        try (InferenceMode noGradients = InferenceMode.enter();
                NDScope scope = new NDScope()) {
            NDList peaks = new NDList(parameters.size());
            for (NamedParameter parameter : parameters) {
                // max propagates NaN, and the largest magnitude is infinite if any value is
                peaks.add(parameter.parameter().getArray().abs().max());
            }
            float[] values = NDArrays.stack(peaks).toFloatArray();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    return Optional.of(parameters.get(i).name());
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Sets every gradient to zero in place. PyTorch accumulates gradients across backward passes; a NaN
     * gradient times zero stays NaN, so this fills rather than scales.
     */
    public void zeroGradients() {
        for (NamedParameter parameter : parameters) {
            JniUtils.zeroGrad((PtNDArray) parameter.parameter().getArray());
        }
    }
}
