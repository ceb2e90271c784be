package org.tsr.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * LoRA adapters on a network's linear projections: for every layer and every target module an A (rank, in) drawn
 * from U(-1/sqrt(in), 1/sqrt(in)) by the seed (PEFT's Kaiming-uniform) and a B (out, rank) of zeros, scaled by
 * alpha / rank, so a fresh adapter leaves the model's outputs unchanged. The adapters own their arrays; the base
 * weights stay as they are, and saving the model writes them merged (see {@link CausalLm#savedArray}).
 *
 * <p>The adapters are enabled unless a {@link #disabled()} scope is open, and apply dropout to their input only
 * inside a {@link #trainingPass(long)} scope. Both scopes switch the whole network: one thread at a time.
 */
public final class LoraAdapters implements AutoCloseable {

    private final CausalLm network;
    private final NDManager manager;
    private final int rank;
    private final double alpha;
    private final double dropout;
    private final Set<LinearModule> targetModules;
    private final List<NamedParameter> parameters = new ArrayList<>();
    private final List<LinearProjection> adapted = new ArrayList<>();
    private boolean enabled = true;
    private boolean dropoutActive;

    private LoraAdapters(
            CausalLm network,
            NDManager parent,
            int rank,
            double alpha,
            double dropout,
            Set<LinearModule> targetModules,
            long seed) {
        this.network = network;
        this.manager = parent.newSubManager();
        this.rank = rank;
        this.alpha = alpha;
        this.dropout = dropout;
        this.targetModules = Collections.unmodifiableSet(EnumSet.copyOf(targetModules));
        float scale = (float) (alpha / rank);
        for (int layer = 0; layer < network.config().numHiddenLayers(); layer++) {
            for (LinearModule module : this.targetModules) {
                LinearProjection projection = network.projection(layer, module);
                long[] shape = projection.weight().getArray().getShape().getShape();
                long out = shape[0];
                long in = shape[1];
                // one stream per layer and module, so adding a target leaves the others' initial values as they were
                Random random = new Random(seed * 1_000_003L + layer * 31L + module.ordinal());
                float bound = (float) (1 / Math.sqrt(in));
                float[] initial = new float[Math.toIntExact(rank * in)];
                for (int i = 0; i < initial.length; i++) {
                    initial[i] = (random.nextFloat() * 2 - 1) * bound;
                }
                String prefix = "base_model.model." + module.path(layer) + ".";
                NamedParameter a = create(prefix + "lora_A.weight", manager.create(initial, new Shape(rank, in)));
                NamedParameter b = create(prefix + "lora_B.weight", manager.zeros(new Shape(out, rank)));
                parameters.add(a);
                parameters.add(b);
                projection.adapter(new LoraAdapter(this, a, b, scale));
                adapted.add(projection);
            }
        }
    }

    /**
     * Attaches fresh adapters to every layer's {@code targetModules} of {@code network}, in a sub-manager of
     * {@code parent}.
     *
     * @throws IllegalStateException if the network has adapters already
     */
    public static LoraAdapters attach(
            CausalLm network,
            NDManager parent,
            int rank,
            double alpha,
            double dropout,
            Set<LinearModule> targetModules,
            long seed) {
        if (network.lora().isPresent()) {
            throw new IllegalStateException("the model has LoRA adapters already");
        }
        if (rank < 1 || !(alpha > 0) || !(dropout >= 0 && dropout < 1) || targetModules.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs rank >= 1, alpha > 0, dropout in [0, 1) and a target");
        }
        LoraAdapters adapters = new LoraAdapters(network, parent, rank, alpha, dropout, targetModules, seed);
        network.lora(adapters);
        return adapters;
    }

    private static NamedParameter create(String name, ai.djl.ndarray.NDArray array) {
        Parameter parameter = LoraAdapter.parameter(name);
        parameter.setArray(array);
        return new NamedParameter(name, parameter, array.getShape());
    }

    /** A then B of every adapted module, layer by layer, named as PEFT saves them. */
    public List<NamedParameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    public int rank() {
        return rank;
    }

    public double alpha() {
        return alpha;
    }

    public double dropout() {
        return dropout;
    }

    public Set<LinearModule> targetModules() {
        return targetModules;
    }

    /** Whether the network computes with its adapters now. */
    public boolean enabled() {
        return enabled;
    }

    boolean dropoutActive() {
        return dropoutActive && enabled;
    }

    /** Until closed, the network computes as its base model, adapters off. */
    public Scope disabled() {
        boolean previous = enabled;
        enabled = false;
        return () -> enabled = previous;
    }

    /**
     * Until closed, the adapters apply dropout to their inputs, drawn from PyTorch's generator seeded with
     * {@code seed} so a pass can be repeated (a resumed run draws what the interrupted one did).
     */
    public Scope trainingPass(long seed) {
        boolean previous = dropoutActive;
        if (dropout > 0) {
            Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
            dropoutActive = true;
        }
        return () -> dropoutActive = previous;
    }

    /** Removes the adapters from the network, which computes as its base model again, and frees them. */
    @Override
    public void close() {
        adapted.forEach(projection -> projection.adapter(null));
        network.lora(null);
        manager.close();
    }

    /** A switch that {@link #close()} turns back. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
