package org.tsr.engine.generation;

/** Why a completion ended, named as OpenAI-style APIs name it. */
public enum FinishReason {
    /** an end-of-sequence token or a stop string */
    STOP,
    /** max new tokens or the model's context length */
    LENGTH;

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
