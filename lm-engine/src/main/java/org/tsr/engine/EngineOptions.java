package org.tsr.engine;

import ai.djl.Device;

/**
 * Where and how the engine computes.
 *
 * @param device e.g. "cpu" or "gpu0"
 * @param intraOpThreads PyTorch intra-op threads; 0 keeps the engine's setting
 */
public record EngineOptions(String device, int intraOpThreads) {

    public static EngineOptions cpu(int intraOpThreads) {
        return new EngineOptions("cpu", intraOpThreads);
    }

    public Device djlDevice() {
        return Device.fromName(device);
    }
}
