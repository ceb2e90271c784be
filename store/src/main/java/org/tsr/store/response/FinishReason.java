package org.tsr.store.response;

public enum FinishReason {
    /** End of sequence or a stop string. */
    STOP,
    /** The max-new-tokens limit. */
    LENGTH
}
