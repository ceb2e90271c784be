package org.tsr.trainer.job;

import java.util.Map;
import org.tsr.engine.training.StepMetrics;
import org.tsr.engine.training.TrainingListener;
import org.tsr.trainer.export.ProgressEvent;

/**
 * A job trained outside this JVM, as its progress lines tell it: started, steps (into the job's row and the
 * trainer's meters, under the embedded trainer's names), checkpoints, log lines; and how it ended, if it said so.
 * Lines may come from a thread of their own; the outcome is read after the trainer exited.
 */
public class RemoteProgress {

    private final JobProgress progress;
    private final long jobId;
    private final TrainingListener steps;
    private volatile ProgressEvent.Finished finished;
    private volatile ProgressEvent.Failed failed;
    private volatile StepMetrics last;

    RemoteProgress(JobProgress progress, TrainMeters meters, PreparedJob job) {
        this.progress = progress;
        this.jobId = job.jobId();
        this.steps = progress.listener(
                job.jobId(), metrics -> meters.step(job.export().kind(), job.modelRole(), metrics));
    }

    public void accept(ProgressEvent event) {
        if (event instanceof ProgressEvent.Started started) {
            progress.start(jobId, started.totalSteps(), started.description());
        } else if (event instanceof ProgressEvent.Step step) {
            StepMetrics metrics = StepMetrics.fromMap(step.metrics());
            last = metrics;
            steps.onStep(metrics);
        } else if (event instanceof ProgressEvent.Checkpointed checkpointed) {
            steps.onCheckpoint(checkpointed.step());
        } else if (event instanceof ProgressEvent.Finished done) {
            finished = done;
        } else if (event instanceof ProgressEvent.Failed failure) {
            failed = failure;
        } else if (event instanceof ProgressEvent.Log log && !log.line().isBlank()) {
            progress.log(jobId, log.line());
        }
    }

    /** How the trainer said it finished, or null if it did not. */
    public ProgressEvent.Finished finished() {
        return finished;
    }

    /** Why the trainer said it failed, or null if it did not. */
    public ProgressEvent.Failed failed() {
        return failed;
    }

    /**
     * Optimizer steps the job took: as the trainer said when it finished, else the last step it reported (a pod's log
     * may be gone before its end was read; the model itself is checked before it is published).
     */
    public int steps() {
        if (finished != null) {
            return finished.steps();
        }
        return last == null ? 0 : last.step();
    }

    /** @throws InvalidTrainingJobException if the trainer said the job cannot be trained as written */
    public void rethrowIfJobInvalid() {
        ProgressEvent.Failed failure = failed;
        if (failure != null && failure.field() != null) {
            throw InvalidTrainingJobException.invalid(failure.field(), failure.reason());
        }
    }

    /** The job's metrics once it finished: the trainer's summary, else the last step's. */
    public Map<String, Object> summary() {
        if (finished != null && !finished.summary().isEmpty()) {
            return finished.summary();
        }
        return last == null ? Map.of() : last.asMap();
    }
}
