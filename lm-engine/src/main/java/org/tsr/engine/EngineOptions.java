package org.tsr.engine;

import ai.djl.Device;

/**
 * Where and how the engine computes.
 *
 * @param device e.g. "cpu" or "gpu0"
 * @param intraOpThreads PyTorch intra-op threads, a process-wide setting applied when a model loads; 0 keeps
 *     the engine's setting (-Dai.djl.pytorch.num_threads). On a shared machine more threads than free cores
 *     make PyTorch's thread pool spin against other work and can cut small-model throughput tenfold.
 */
public record EngineOptions(String device, int intraOpThreads) {

    public static EngineOptions cpu(int intraOpThreads) {
        return new EngineOptions("cpu", intraOpThreads);
    }

    public Device djlDevice() {
        return Device.fromName(device);
    }
}
