package org.tsr.contract.responses;

/** Why a response was sampled. */
public enum ResponsePurpose {
    /** By the iteration's policy Mi. */
    POLICY,
    /** By the initial model M0, for TSR's anchored rejection. */
    ANCHOR,
    /** By TSR's future model Mf, for future-guided chosen. */
    FUTURE,
    /** On the held-out evaluation set. */
    EVAL
}
