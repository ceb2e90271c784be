package org.tsr.trainer.job;

import java.time.Duration;
import org.springframework.stereotype.Component;
import org.tsr.store.training.TrainingJob;
import org.tsr.trainer.storage.CheckpointStorage;

/** How a job attempt ended, for the job's row, its scratch files and the job timer. */
@Component
public class JobOutcomes {

    private final JobProgress progress;
    private final CheckpointStorage storage;
    private final TrainMeters meters;

    JobOutcomes(JobProgress progress, CheckpointStorage storage, TrainMeters meters) {
        this.progress = progress;
        this.storage = storage;
        this.meters = meters;
    }

    /** The job ends FAILED with the reason; nothing was registered, and its checkpoint cannot help a retry. */
    public void failed(TrainingJob job, String modelRole, String reason, Duration took) {
        progress.fail(job.getId(), reason);
        storage.release(job.getId());
        meters.job(job.getKind(), modelRole, "failed", took);
    }

    /** The job ends CANCELLED with its run; its trainer was stopped and its scratch files go. */
    public void cancelled(TrainingJob job, String modelRole, String reason) {
        progress.cancel(job.getId(), reason);
        storage.release(job.getId());
        meters.job(job.getKind(), modelRole, "cancelled", Duration.ZERO);
    }

    public void succeeded(TrainingJob job, String modelRole, Duration took) {
        meters.job(job.getKind(), modelRole, "succeeded", took);
    }
}
