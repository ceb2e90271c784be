package org.tsr.trainer.work;

/** The payload of a TRAIN work unit: the training job row that says what to train. */
public record TrainUnit(Long trainingJobId) {}
