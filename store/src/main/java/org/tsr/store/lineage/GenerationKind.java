package org.tsr.store.lineage;

/** What a model generation is in the method: the base model, the SFT'd M0, a policy M1..Mn, or a future model. */
public enum GenerationKind {
    BASE,
    SFT,
    POLICY,
    FUTURE
}
