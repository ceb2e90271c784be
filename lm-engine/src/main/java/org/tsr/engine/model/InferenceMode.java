package org.tsr.engine.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns off gradient recording for the calling thread until closed, then restores what was there. PyTorch keeps this
 * switch per thread and new threads start with recording on, so sampling or scoring from a worker thread would
 * otherwise build an autograd graph for every operation: slower, and memory held until the call ends.
 */
public final class InferenceMode implements AutoCloseable {

    private final boolean previous;

    private InferenceMode() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static InferenceMode enter() {
        return new InferenceMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
