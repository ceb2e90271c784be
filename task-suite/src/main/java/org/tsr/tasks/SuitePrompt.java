package org.tsr.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One prompt of the suite, shaped as a line of a prompt-set upload.
 *
 * @param split IFT, EFT, ITERATION or EVAL
 * @param chunk the iteration that samples an ITERATION prompt, else null
 * @param reference the answer (IFT, ITERATION, EVAL) or the target judgment (EFT)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuitePrompt(String prompt, String split, Integer chunk, String reference, String family) {}
