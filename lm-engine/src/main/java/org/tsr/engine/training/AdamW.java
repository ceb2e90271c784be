package org.tsr.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tsr.engine.checkpoint.CheckpointException;
import org.tsr.engine.checkpoint.SafetensorsReader;
import org.tsr.engine.checkpoint.SafetensorsWriter;
import org.tsr.engine.model.NamedParameter;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW computes it. Its moment
 * estimates live in a manager of their own, created up front rather than lazily, so no NDScope of a step
 * can close them.
 */
public final class AdamW implements AutoCloseable {

    private final TrainableParameters parameters;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final NDManager stateManager;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private int steps;

    public AdamW(NDManager parent, TrainableParameters parameters, TrainingOptions options) {
        this.parameters = parameters;
        this.beta1 = options.adamBeta1();
        this.beta2 = options.adamBeta2();
        this.epsilon = options.adamEpsilon();
        this.weightDecay = options.weightDecay();
        this.stateManager = parent.newSubManager();
        for (NamedParameter parameter : parameters.list()) {
            firstMoments.add(stateManager.zeros(parameter.shape()));
            secondMoments.add(stateManager.zeros(parameter.shape()));
        }
    }

    /**
     * Updates every parameter from its gradient times {@code gradientScale} (the clipping factor).
     *
     * @param learningRate this step's rate
     */
    public void step(double learningRate, double gradientScale) {
        steps++;
        float correction1 = (float) (1 - Math.pow(beta1, steps));
        float correction2 = (float) (1 - Math.pow(beta2, steps));
        // parameters are autograd leaves: updating them in place is allowed only with grad mode off
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            List<NamedParameter> list = parameters.list();
            for (int i = 0; i < list.size(); i++) {
                NDArray weight = list.get(i).parameter().getArray();
                NDArray gradient = weight.getGradient();
                if (gradientScale != 1.0) {
                    gradient = gradient.mul((float) gradientScale);
                }
                NDArray m = firstMoments.get(i);
                NDArray v = secondMoments.get(i);
                m.muli((float) beta1).addi(gradient.mul((float) (1 - beta1)));
                v.muli((float) beta2).addi(gradient.square().muli((float) (1 - beta2)));
                if (weightDecay > 0 && decays(list.get(i))) {
                    weight.muli((float) (1 - learningRate * weightDecay));
                }
                NDArray denominator = v.div(correction2).sqrt().addi((float) epsilon);
                weight.subi(m.div(correction1).divi(denominator).muli((float) learningRate));
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Matrices decay; norms and biases (one-dimensional) do not. */
    private static boolean decays(NamedParameter parameter) {
        return parameter.shape().dimension() > 1;
    }

    /** Starts over as a fresh optimizer: both moments zero and no steps taken, so bias correction restarts too. */
    public void restart() {
        // new arrays rather than scaling by zero: a moment that overflowed would stay NaN
        List<NamedParameter> list = parameters.list();
        for (int i = 0; i < list.size(); i++) {
            firstMoments.get(i).close();
            secondMoments.get(i).close();
            firstMoments.set(i, stateManager.zeros(list.get(i).shape()));
            secondMoments.set(i, stateManager.zeros(list.get(i).shape()));
        }
        steps = 0;
    }

    public int steps() {
        return steps;
    }

    /** Writes both moments of every parameter; the step count travels in the trainer's state. */
    public void save(Path file) {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        List<NamedParameter> list = parameters.list();
        for (int i = 0; i < list.size(); i++) {
            long[] shape = list.get(i).shape().getShape();
            tensors.add(new SafetensorsWriter.Tensor(
                    "exp_avg." + list.get(i).name(), shape, firstMoments.get(i).toFloatArray()));
            tensors.add(new SafetensorsWriter.Tensor(
                    "exp_avg_sq." + list.get(i).name(),
                    shape,
                    secondMoments.get(i).toFloatArray()));
        }
        SafetensorsWriter.write(file, tensors);
    }

    /** Restores the moments written by {@link #save} and the number of steps taken. */
    public void load(Path file, int steps) {
        List<NamedParameter> list = parameters.list();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (int i = 0; i < list.size(); i++) {
                firstMoments.get(i).set(read(reader, "exp_avg." + list.get(i).name()));
                secondMoments
                        .get(i)
                        .set(read(reader, "exp_avg_sq." + list.get(i).name()));
            }
        }
        this.steps = steps;
    }

    private static float[] read(SafetensorsReader reader, String name) {
        if (!reader.contains(name)) {
            throw new CheckpointException(reader.file(), name, "missing from the optimizer state");
        }
        return reader.readFloats(name);
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
