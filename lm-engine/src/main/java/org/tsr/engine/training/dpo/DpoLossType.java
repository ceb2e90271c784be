package org.tsr.engine.training.dpo;

/** The preference losses of TRL's DPOTrainer that users ask for, over z = policy log-ratio - reference log-ratio. */
public enum DpoLossType {
    /** The DPO paper's -log sigmoid(beta z), with optional label smoothing (conservative DPO). */
    SIGMOID,
    /** IPO: (z - 1 / (2 beta))^2; usually paired with length-normalised log-probabilities. */
    IPO,
    /** SLiC's hinge: max(0, 1 - beta z). */
    HINGE
}
