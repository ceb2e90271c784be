package org.tsr.inference;

/** A sampling request that the model's backend cannot serve, naming the setting it refuses. */
public class UnsupportedSamplingException extends RuntimeException {

    private final String setting;

    public UnsupportedSamplingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
