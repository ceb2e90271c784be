package org.tsr.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Hugging Face causal-LM architectures that share the Llama decoder this engine implements. */
public enum Architecture {
    LLAMA("LlamaForCausalLM", "llama", false),
    QWEN2("Qwen2ForCausalLM", "qwen2", false),
    QWEN3("Qwen3ForCausalLM", "qwen3", true),
    MISTRAL("MistralForCausalLM", "mistral", false);

    private final String className;
    private final String modelType;
    private final boolean qkNorm;

    Architecture(String className, String modelType, boolean qkNorm) {
        this.className = className;
        this.modelType = modelType;
        this.qkNorm = qkNorm;
    }

    /** The {@code architectures[0]} value in config.json. */
    public String className() {
        return className;
    }

    /** The {@code model_type} value in config.json. */
    public String modelType() {
        return modelType;
    }

    /** Whether attention RMS-normalises each query and key head before rotating it (q_norm, k_norm). */
    public boolean qkNorm() {
        return qkNorm;
    }

    public static Architecture fromClassName(String className) {
        for (Architecture architecture : values()) {
            if (architecture.className.equals(className)) {
                return architecture;
            }
        }
        throw new UnsupportedArchitectureException("Unsupported architecture '" + className + "'; supported: "
                + Arrays.stream(values()).map(Architecture::className).collect(Collectors.joining(", ")));
    }
}
