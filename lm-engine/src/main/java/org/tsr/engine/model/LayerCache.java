package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of one attention layer for every position seen so far, shaped (batch, kvHeads, time,
 * headDim). The arrays belong to the owner manager, so they outlive the per-step managers that create the
 * new entries.
 */
final class LayerCache {

    private final NDManager owner;
    private final FusedProjections projections;
    private NDArray keys;
    private NDArray values;

    LayerCache(NDManager owner, FusedProjections projections) {
        this.owner = owner;
        this.projections = projections;
    }

    FusedProjections projections() {
        return projections;
    }

    /** Appends this step's keys and values along time and returns the whole history. */
    NDArray[] append(NDArray newKeys, NDArray newValues) {
        keys = extend(keys, newKeys);
        values = extend(values, newValues);
        return new NDArray[] {keys, values};
    }

    int length() {
        return keys == null ? 0 : (int) keys.getShape().get(2);
    }

    /** Keeps only the given batch rows, in the given order. */
    void select(NDArray rows) {
        if (keys != null) {
            keys = reindex(keys, rows);
            values = reindex(values, rows);
        }
    }

    private NDArray extend(NDArray history, NDArray step) {
        if (history == null) {
            step.attach(owner);
            return step;
        }
        NDArray joined = history.concat(step, 2);
        joined.attach(owner);
        history.close();
        return joined;
    }

    private NDArray reindex(NDArray history, NDArray rows) {
        NDArray selected = history.get(rows);
        selected.attach(owner);
        history.close();
        return selected;
    }
}
