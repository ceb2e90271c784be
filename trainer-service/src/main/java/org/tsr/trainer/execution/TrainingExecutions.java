package org.tsr.trainer.execution;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.store.training.TrainingJob;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.job.InvalidTrainingJobException;
import org.tsr.trainer.job.JobJson;
import org.tsr.trainer.job.JobProgress;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.PreparedJobs;
import org.tsr.trainer.job.TrainedModel;

/**
 * Trains a job on its executor: the job's own {@code trainer} settings, else this service's configuration. An
 * executor this replica has not enabled (Kubernetes outside a cluster) fails the job with a reason naming it.
 */
@Component
public class TrainingExecutions {

    private final Map<TrainingExecutor, TrainingExecution> executions = new EnumMap<>(TrainingExecutor.class);
    private final PreparedJobs jobs;
    private final JobProgress progress;
    private final TrainerProperties properties;

    TrainingExecutions(
            List<TrainingExecution> available, PreparedJobs jobs, JobProgress progress, TrainerProperties properties) {
        available.forEach(execution -> executions.put(execution.executor(), execution));
        this.jobs = jobs;
        this.progress = progress;
        this.properties = properties;
    }

    /** The role tag of the model a job trains, for its meters. */
    public String modelRole(TrainingJob job) {
        return jobs.modelRole(job);
    }

    public TrainedModel train(TrainingJob job, ExecutionContext context) {
        TrainerSettings trainer = JobJson.trainer(job.getTrainer()).orElse(properties.trainerDefaults());
        if (job.getExecutor() != null) {
            // an attempt after a restart goes on where the job started, whatever the configuration says now
            trainer = new TrainerSettings(
                    TrainingExecutor.of(job.getExecutor()), trainer.nodes(), trainer.gpusPerNode(), trainer.image());
        }
        // a run may leave the executor to this service and still ask for what the service's executor cannot do
        JobJson.requireFits(trainer);
        TrainingExecution execution = executions.get(trainer.executor());
        if (execution == null) {
            throw InvalidTrainingJobException.invalid(
                    "trainer.executor",
                    "training executor " + trainer.executor() + " is not enabled on this trainer-service (enabled: "
                            + executions.keySet() + ")"
                            + (trainer.executor().onKubernetes()
                                    ? "; tsr.trainer.kubernetes.enabled=true enables it where trainer-service can"
                                            + " reach a cluster"
                                    : ""));
        }
        if (job.getExecutor() == null) {
            progress.placed(job.getId(), trainer.executor().id(), null);
        }
        PreparedJob prepared = jobs.prepare(job, trainer);
        return execution.train(prepared, context);
    }
}
