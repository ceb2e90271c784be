package org.tsr.store.prompt;

public enum PromptSplit {
    /** Instruction fine-tuning seed data: prompts with good answers, for the SFT bootstrap of M0. */
    IFT,
    /** Evaluation fine-tuning seed data: judge prompts with their target judgments, for the SFT bootstrap. */
    EFT,
    /** Prompts the iterations sample on, cut into disjoint chunks (one per iteration). */
    ITERATION,
    /** The held-out evaluation set. */
    EVAL
}
