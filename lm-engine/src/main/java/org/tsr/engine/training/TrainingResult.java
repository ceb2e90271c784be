package org.tsr.engine.training;

/**
 * @param resumedFromStep the step a training checkpoint let the run start at; 0 for a fresh run
 * @param last the metrics of the final step
 */
public record TrainingResult(int steps, int nonFiniteSteps, int resumedFromStep, StepMetrics last) {}
