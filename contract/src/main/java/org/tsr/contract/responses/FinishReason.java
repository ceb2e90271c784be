package org.tsr.contract.responses;

import java.util.Locale;

/** Why a completion ended, named as OpenAI-style APIs name it. */
public enum FinishReason {
    /** An end-of-sequence token or a stop string. */
    STOP,
    /** The max-new-tokens limit or the model's context length. */
    LENGTH;

    /** The name OpenAI's API gives it: {@code stop}, {@code length}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
