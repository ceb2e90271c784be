package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.store.workqueue.LeaseLostException;
import org.tsr.trainer.execution.ExecutionContext;
import org.tsr.trainer.execution.ImportedModels;
import org.tsr.trainer.execution.JobExportWriter;
import org.tsr.trainer.execution.TrainerUnreachableException;
import org.tsr.trainer.execution.TrainingCancelledException;
import org.tsr.trainer.execution.TrainingExecution;
import org.tsr.trainer.export.ProgressEvent;
import org.tsr.trainer.export.ProgressLines;
import org.tsr.trainer.job.JobProgress;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.PreparedJobs;
import org.tsr.trainer.job.RemoteProgress;
import org.tsr.trainer.job.RemoteProgressFactory;
import org.tsr.trainer.job.TrainedModel;

/**
 * Trains a job in a Kubernetes workload (a batch Job or a TrainJob): writes the job's export to the checkpoints
 * volume, creates the workload, or re-attaches to the one an earlier attempt created (the name comes from the job's
 * id), follows it while its trainer's progress lines go into the job's row and meters, then checks the model the pods
 * wrote to the volume and publishes it.
 */
class KubernetesExecution implements TrainingExecution {

    private static final Logger log = LoggerFactory.getLogger(KubernetesExecution.class);

    private final Workload workload;
    private final WorkloadFollower follower;
    private final Path mountPath;
    private final JobExportWriter exports;
    private final PreparedJobs jobs;
    private final JobProgress progress;
    private final RemoteProgressFactory remotes;
    private final ImportedModels imports;

    KubernetesExecution(
            Workload workload,
            WorkloadFollower follower,
            KubernetesProperties properties,
            JobExportWriter exports,
            PreparedJobs jobs,
            JobProgress progress,
            RemoteProgressFactory remotes,
            ImportedModels imports) {
        this.workload = workload;
        this.follower = follower;
        this.mountPath = properties.checkpoints().mountPath().toAbsolutePath().normalize();
        this.exports = exports;
        this.jobs = jobs;
        this.progress = progress;
        this.remotes = remotes;
        this.imports = imports;
    }

    @Override
    public TrainingExecutor executor() {
        return workload.executor();
    }

    @Override
    public TrainedModel train(PreparedJob job, ExecutionContext context) {
        String name = Workload.nameOf(job.jobId());
        Path folder = exports.folder(job.jobId()).toAbsolutePath().normalize();
        if (!folder.startsWith(mountPath)) {
            throw new IllegalStateException("the job's export folder " + folder + " is not on the checkpoints volume"
                    + " the training pods mount at " + mountPath + ": put tsr.trainer.checkpoint-dir under"
                    + " tsr.trainer.kubernetes.checkpoints.mount-path");
        }
        // a workload by the job's name exists when an earlier attempt created it before this trainer-service
        // restarted, or when another attempt got there first: either way it is followed, not submitted again
        Optional<WorkloadStatus> existing = existing(name);
        boolean reattached = existing.isPresent() || !submitted(name, job);
        if (reattached) {
            boolean running = existing.isEmpty() || !existing.get().phase().terminal();
            if (running) {
                // an earlier attempt created it and it still trains: following it must not use up the unit's
                // attempts (one that ended is only read once more, which may use one)
                context.reattached().run();
            }
            progress.log(
                    job.jobId(),
                    "re-attached to the " + (running ? "running " : "ended ") + workload.kind() + " " + name);
        } else {
            progress.log(job.jobId(), "created the " + workload.kind() + " " + name);
        }
        progress.placed(job.jobId(), workload.executor().id(), name);
        log.info("Training job {} in the {} {}", job.jobId(), workload.kind(), name);
        try {
            return followAndPublish(job, context, name, folder, reattached);
        } catch (TrainerUnreachableException | TrainingCancelledException | LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            // the job fails for good: its workload must not train on, unwatched, on the job's folder
            deleteQuietly(name);
            throw e;
        }
    }

    private TrainedModel followAndPublish(
            PreparedJob job, ExecutionContext context, String name, Path folder, boolean reattached) {
        RemoteProgress remote = remotes.forJob(job);
        WorkloadFollower.Outcome outcome =
                follower.follow(workload, name, reattached, listener(job, remote), context.cancelled());
        jobs.recordExportedReference(job, folder);
        if (!outcome.succeeded()) {
            remote.rethrowIfJobInvalid();
            ProgressEvent.Failed failed = remote.failed();
            throw new IllegalStateException(
                    outcome.reason() + (failed == null ? "" : "; the trainer said: " + failed.reason()));
        }
        if (remote.finished() == null) {
            progress.log(
                    job.jobId(),
                    "the " + workload.kind() + " " + name + " succeeded without a finished line in the log read;"
                            + " checking the model it wrote");
        }
        imports.importModel(job);
        return jobs.publish(job, remote.steps(), remote.summary(), context.whileHeld());
    }

    private Optional<WorkloadStatus> existing(String name) {
        try {
            return workload.status(name);
        } catch (KubernetesClientException e) {
            throw failure("cannot look for the " + workload.kind() + " " + name, e);
        }
    }

    private void deleteQuietly(String name) {
        try {
            workload.delete(name);
        } catch (KubernetesClientException e) {
            log.warn("Could not delete the {} {} of a failed job: {}", workload.kind(), name, e.getMessage());
        }
    }

    /** A busy or unreachable API server fails only this attempt; a refusal (403, 422 ...) fails the job. */
    static RuntimeException failure(String what, KubernetesClientException e) {
        String message = what + " (HTTP " + e.getCode() + "): " + e.getMessage();
        if (transientFailure(e)) {
            return new TrainerUnreachableException(message + "; the next attempt tries again", e);
        }
        return new IllegalStateException(message, e);
    }

    static boolean transientFailure(KubernetesClientException e) {
        return e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500;
    }

    /**
     * Writes the export and creates the workload.
     *
     * @return false when the workload turned out to exist already
     */
    private boolean submitted(String name, PreparedJob job) {
        HasMetadata manifest = workload.manifest(name, job, exports.folder(job.jobId()));
        exports.write(job);
        try {
            workload.create(manifest);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw failure("cannot create the " + workload.kind() + " " + name, e);
        }
    }

    /**
     * Progress lines into the job's row and meters, status changes into its log. Lines that were in a re-attached
     * workload's log already were recorded by the attempt that saw them: only how training ended is taken from them.
     */
    private WorkloadFollower.Listener listener(PreparedJob job, RemoteProgress remote) {
        return new WorkloadFollower.Listener() {
            @Override
            public void line(String line, boolean replayed) {
                ProgressEvent event = ProgressLines.parse(line);
                if (replayed && !(event instanceof ProgressEvent.Finished || event instanceof ProgressEvent.Failed)) {
                    return;
                }
                try {
                    remote.accept(event);
                } catch (RuntimeException e) {
                    log.warn("Could not record a progress line of training job {}: {}", job.jobId(), e.getMessage());
                }
            }

            @Override
            public void status(String description) {
                progress.log(job.jobId(), description);
            }
        };
    }
}
