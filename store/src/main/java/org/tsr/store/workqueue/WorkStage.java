package org.tsr.store.workqueue;

/** The stage a work unit belongs to; each stage service claims only its own units. */
public enum WorkStage {
    GENERATE,
    JUDGE,
    PAIR,
    TRAIN,
    EVALUATE
}
