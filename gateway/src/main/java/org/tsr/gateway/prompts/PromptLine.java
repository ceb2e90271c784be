package org.tsr.gateway.prompts;

/**
 * One line of an uploaded prompt set.
 *
 * @param split IFT, EFT, ITERATION or EVAL; ITERATION when left out
 * @param chunk which iteration samples an ITERATION prompt; 0 when left out
 * @param reference an optional reference answer
 * @param family an optional task family, for per-family reports
 */
record PromptLine(String prompt, String split, Integer chunk, String reference, String family) {}
