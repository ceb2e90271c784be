package org.tsr.trainer.job;

import java.util.Locale;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.tsr.contract.training.TrainingKind;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.trainer.storage.CheckpointStorage;

/** Enters a trained model into the lineage once its job's work unit completes. */
@Component
public class TrainedModelRegistration {

    private final TrainingJobRepository jobs;
    private final ModelGenerationRepository generations;
    private final CheckpointStorage storage;

    TrainedModelRegistration(
            TrainingJobRepository jobs, ModelGenerationRepository generations, CheckpointStorage storage) {
        this.jobs = jobs;
        this.generations = generations;
        this.storage = storage;
    }

    /**
     * Registers the trained model as a READY generation (the one registered ahead for the job, or a new child of
     * the base) with the job's metrics, and marks the job succeeded. Runs inside the unit's completing
     * transaction; the job's scratch files go once it commits.
     */
    public void register(TrainedModel trained) {
        TrainingJob job = jobs.findById(trained.jobId()).orElseThrow();
        ModelGeneration output;
        if (job.getOutputGenerationId() != null) {
            output = generations.findById(job.getOutputGenerationId()).orElseThrow();
        } else {
            ModelGeneration base =
                    generations.findById(job.getBaseGenerationId()).orElseThrow();
            GenerationKind kind = job.getKind() == TrainingKind.SFT ? GenerationKind.SFT : GenerationKind.POLICY;
            String name = base.getName() + "/" + job.getKind().name().toLowerCase(Locale.ROOT) + "-job-" + job.getId();
            output = generations.save(
                    ModelGeneration.trainedFrom(base, name, kind, job.getRunId(), job.getIterationId()));
        }
        output.markReady(trained.checkpointUri(), CheckpointFormat.HF_SAFETENSORS);
        output.recordMetrics(trained.metricsJson());
        generations.save(output);
        job.progress(trained.steps(), trained.metricsJson());
        job.appendLog("registered as model generation " + output.getId() + " at " + trained.checkpointUri() + "\n");
        job.succeed(output.getId());
        jobs.save(job);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    storage.release(trained.jobId());
                }
            });
        }
    }
}
