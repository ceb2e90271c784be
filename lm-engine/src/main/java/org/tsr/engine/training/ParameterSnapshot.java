package org.tsr.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.tsr.engine.model.InferenceMode;
import org.tsr.engine.model.NamedParameter;

/**
 * Native copies of the trainable parameters as they were on the last step known to be good (its loss and gradient
 * finite), for the trainer to roll back to when a step is not. Taking one is a device-side clone per parameter into
 * a manager of its own, which the trainer's per-step scopes cannot close; restoring copies the values back in place,
 * so everything that holds the parameters keeps holding them.
 */
final class ParameterSnapshot implements AutoCloseable {

    private final TrainableParameters parameters;
    private final NDManager manager;
    private final List<NDArray> copies = new ArrayList<>();
    private int step = -1;

    ParameterSnapshot(NDManager parent, TrainableParameters parameters) {
        this.parameters = parameters;
        this.manager = parent.newSubManager();
    }

    /** Replaces the copies with the parameters' current values, recorded as those of {@code step}. */
    void take(int step) {
        try (InferenceMode noGradients = InferenceMode.enter()) {
            List<NDArray> fresh = new ArrayList<>(copies.size());
            for (NamedParameter parameter : parameters.list()) {
                NDArray copy = parameter.parameter().getArray().duplicate();
                copy.attach(manager);
                fresh.add(copy);
            }
            copies.forEach(NDArray::close);
            copies.clear();
            copies.addAll(fresh);
        }
        this.step = step;
    }

    /** Writes the copies back into the parameters, in place. */
    void restore() {
        if (step < 0) {
            throw new IllegalStateException("no snapshot was taken");
        }
        // parameters are autograd leaves: writing them in place is allowed only with grad mode off
        try (InferenceMode noGradients = InferenceMode.enter()) {
            List<NamedParameter> list = parameters.list();
            for (int i = 0; i < list.size(); i++) {
                copies.get(i).copyTo(list.get(i).parameter().getArray());
            }
        }
    }

    /** The step whose parameters the copies hold: the number of optimizer steps done before them. */
    int step() {
        return step;
    }

    @Override
    public void close() {
        manager.close();
    }
}
