package org.tsr.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The linear projections of a decoder layer, by the module names Hugging Face checkpoints (and PEFT) use. */
public enum LinearModule {
    Q_PROJ("self_attn", "q_proj"),
    K_PROJ("self_attn", "k_proj"),
    V_PROJ("self_attn", "v_proj"),
    O_PROJ("self_attn", "o_proj"),
    GATE_PROJ("mlp", "gate_proj"),
    UP_PROJ("mlp", "up_proj"),
    DOWN_PROJ("mlp", "down_proj");

    private final String block;
    private final String hfName;

    LinearModule(String block, String hfName) {
        this.block = block;
        this.hfName = hfName;
    }

    /** The module name, e.g. {@code q_proj}. */
    public String hfName() {
        return hfName;
    }

    /** The module's path inside layer {@code layer}, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public String path(int layer) {
        return "model.layers." + layer + "." + block + "." + hfName;
    }

    /**
     * @throws IllegalArgumentException naming the known modules when {@code name} is none of them
     */
    public static LinearModule fromHfName(String name) {
        for (LinearModule module : values()) {
            if (module.hfName.equals(name)) {
                return module;
            }
        }
        throw new IllegalArgumentException("unknown module '" + name + "'; the decoder's linear projections are "
                + Arrays.stream(values()).map(LinearModule::hfName).collect(Collectors.joining(", ")));
    }
}
