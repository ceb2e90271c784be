package org.tsr.tasks;

/**
 * One instance of a task family: the prompt a model sees and the one answer that earns full marks.
 *
 * @param family the family's name, which is also how the oracle finds its grader
 */
public record Task(String family, String prompt, String reference) {}
