package org.tsr.contract.pairs;

/** Which curation rule produced a pair. */
public enum PairDataset {
    /** Self-Rewarding: best versus worst policy response. */
    SR,
    /** Temporal Self-Rewarding, anchored rejection. */
    D1,
    /** Temporal Self-Rewarding, future-guided chosen. */
    D2
}
