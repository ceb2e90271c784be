package org.tsr.trainer.job;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.engine.training.StepMetrics;
import org.tsr.engine.training.TrainingListener;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.storage.CheckpointStorage;

/**
 * A job's progress kept in memory instead of its training_job row, for executors' tests that need no database: what
 * the job's log, steps, start and workload would be.
 */
public class RecordingJobProgress extends JobProgress {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<StepMetrics> steps = new CopyOnWriteArrayList<>();
    private volatile int totalSteps = -1;
    private volatile String workload;

    public RecordingJobProgress() {
        super(null, null, null, properties());
    }

    /** The trainer service's defaults, written out. */
    public static TrainerProperties properties() {
        return new TrainerProperties(
                1,
                Duration.ofSeconds(1),
                Path.of("checkpoints"),
                "cpu",
                0,
                Duration.ZERO,
                8,
                TrainingExecutor.EMBEDDED,
                0,
                new TrainerProperties.Process(List.of("-Xmx1g")));
    }

    /**
     * The store side of publishing a model, which moves files only; reading jobs and storing reference values, which
     * need the store, are not for these tests.
     */
    public static PreparedJobs publishingTo(CheckpointStorage storage) {
        return new PreparedJobs(null, null, null, null, storage, null);
    }

    /** Progress of jobs trained elsewhere, recorded here; meters in a registry of their own. */
    public RemoteProgressFactory remote() {
        return new RemoteProgressFactory(this, new TrainMeters(new SimpleMeterRegistry()));
    }

    @Override
    public void start(long jobId, int totalSteps, String logLine) {
        this.totalSteps = totalSteps;
        log.add(logLine);
    }

    @Override
    public TrainingListener listener(long jobId, TrainingListener alsoTell) {
        return new TrainingListener() {
            @Override
            public void onStep(StepMetrics metrics) {
                alsoTell.onStep(metrics);
                steps.add(metrics);
            }

            @Override
            public void onCheckpoint(int step) {
                log.add("training checkpoint at step " + step);
            }
        };
    }

    @Override
    public void log(long jobId, String lines) {
        log.add(lines.strip());
    }

    @Override
    public void placed(long jobId, String executor, String workload) {
        this.workload = workload;
    }

    public List<String> log() {
        return log;
    }

    public List<StepMetrics> steps() {
        return steps;
    }

    /** The total the trainer announced when it started, -1 before. */
    public int totalSteps() {
        return totalSteps;
    }

    public String workload() {
        return workload;
    }
}
