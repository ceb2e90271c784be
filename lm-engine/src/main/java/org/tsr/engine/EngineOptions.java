package org.tsr.engine;

import ai.djl.Device;

/**
 * Where and how the engine computes.
 *
 * @param device e.g. "cpu" or "gpu0"
 * @param intraOpThreads PyTorch intra-op threads, a process-wide setting applied when a model loads; 0 keeps
 *     the engine's setting (-Dai.djl.pytorch.num_threads). On a shared machine more threads than free cores
 *     make PyTorch's thread pool spin against other work and can cut small-model throughput tenfold.
 * @param precision FLOAT32, or BFLOAT16 for inference with bfloat16 products (the model cannot then be trained)
 */
public record EngineOptions(String device, int intraOpThreads, Precision precision) {

    /** What the projections multiply in. */
    public enum Precision {
        FLOAT32,
        /** bfloat16 products of bfloat16 weight copies, for inference; everything else stays float32. */
        BFLOAT16
    }

    public EngineOptions(String device, int intraOpThreads) {
        this(device, intraOpThreads, Precision.FLOAT32);
    }

    public static EngineOptions cpu(int intraOpThreads) {
        return new EngineOptions("cpu", intraOpThreads);
    }

    public EngineOptions withPrecision(Precision precision) {
        return new EngineOptions(device, intraOpThreads, precision);
    }

    public Device djlDevice() {
        return Device.fromName(device);
    }
}
