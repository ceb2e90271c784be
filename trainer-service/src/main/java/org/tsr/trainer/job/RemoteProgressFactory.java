package org.tsr.trainer.job;

import org.springframework.stereotype.Component;

/** Makes the {@link RemoteProgress} of a job that trains outside this JVM. */
@Component
public class RemoteProgressFactory {

    private final JobProgress progress;
    private final TrainMeters meters;

    RemoteProgressFactory(JobProgress progress, TrainMeters meters) {
        this.progress = progress;
        this.meters = meters;
    }

    public RemoteProgress forJob(PreparedJob job) {
        return new RemoteProgress(progress, meters, job);
    }
}
