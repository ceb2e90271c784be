package org.tsr.contract.training;

public enum TrainingKind {
    /** Supervised fine-tuning, e.g. the bootstrap of M0 on IFT and EFT data. */
    SFT,
    /** Direct preference optimisation on one dataset of preference pairs. */
    DPO
}
