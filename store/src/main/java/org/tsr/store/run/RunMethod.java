package org.tsr.store.run;

/** SR: Self-Rewarding (Yuan et al. 2024). TSR: Temporal Self-Rewarding (Wang et al. 2025). */
public enum RunMethod {
    SR,
    TSR
}
