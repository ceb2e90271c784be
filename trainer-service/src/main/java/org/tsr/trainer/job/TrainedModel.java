package org.tsr.trainer.job;

/**
 * A finished job's result, published but not yet registered.
 *
 * @param metricsJson the last step's metrics with the run's totals, for the job and the new generation
 */
public record TrainedModel(long jobId, String checkpointUri, int steps, String metricsJson) {}
