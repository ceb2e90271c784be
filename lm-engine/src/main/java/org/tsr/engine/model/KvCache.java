package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The key/value cache of one decoding run, with the fused projection weights the run decodes with. It owns
 * its arrays through its own manager, so closing the cache frees them whatever managers the steps used.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final List<LayerCache> layers;

    KvCache(NDManager parent, List<DecoderLayer> decoderLayers) {
        this.manager = parent.newSubManager();
        this.layers = new ArrayList<>(decoderLayers.size());
        for (DecoderLayer layer : decoderLayers) {
            layers.add(new LayerCache(manager, layer.fuseProjections(manager)));
        }
    }

    LayerCache layer(int index) {
        return layers.get(index);
    }

    /** Number of cached time slots (padding slots included). */
    public int length() {
        return layers.get(0).length();
    }

    /** Keeps only the given batch rows (int64 indices), e.g. to drop finished sequences. */
    public void selectRows(NDArray rows) {
        for (LayerCache layer : layers) {
            layer.select(rows);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
