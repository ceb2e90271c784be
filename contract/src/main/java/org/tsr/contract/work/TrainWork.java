package org.tsr.contract.work;

/** The payload of a TRAIN work unit: the training job row that says what to train. */
public record TrainWork(Long trainingJobId) {}
