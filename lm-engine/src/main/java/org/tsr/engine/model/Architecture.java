package org.tsr.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Hugging Face causal-LM architectures that share the Llama decoder this engine implements. */
public enum Architecture {
    LLAMA("LlamaForCausalLM", "llama"),
    QWEN2("Qwen2ForCausalLM", "qwen2"),
    MISTRAL("MistralForCausalLM", "mistral");

    private final String className;
    private final String modelType;

    Architecture(String className, String modelType) {
        this.className = className;
        this.modelType = modelType;
    }

    /** The {@code architectures[0]} value in config.json. */
    public String className() {
        return className;
    }

    /** The {@code model_type} value in config.json. */
    public String modelType() {
        return modelType;
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
