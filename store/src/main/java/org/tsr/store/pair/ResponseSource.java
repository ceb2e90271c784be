package org.tsr.store.pair;

/** Which model sampled a pair's chosen or rejected response. */
public enum ResponseSource {
    POLICY,
    ANCHOR,
    FUTURE
}
