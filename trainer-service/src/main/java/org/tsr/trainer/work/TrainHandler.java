package org.tsr.trainer.work;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.tsr.contract.work.TrainWork;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.run.IterationStatus;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.store.training.TrainingStatus;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.LeaseLostException;
import org.tsr.store.workqueue.PermanentWorkFailure;
import org.tsr.store.workqueue.WorkHandler;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.trainer.execution.ExecutionContext;
import org.tsr.trainer.execution.TrainerUnreachableException;
import org.tsr.trainer.execution.TrainingCancelledException;
import org.tsr.trainer.execution.TrainingExecutions;
import org.tsr.trainer.job.InvalidTrainingJobException;
import org.tsr.trainer.job.JobOutcomes;
import org.tsr.trainer.job.TrainedModel;
import org.tsr.trainer.job.TrainedModelRegistration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains the job a TRAIN unit names and registers the new generation in the transaction that completes the unit.
 * A job that cannot train (bad input, a broken checkpoint, a loss that stays non-finite, out of memory) ends FAILED
 * with its reason and fails the unit for good, registering nothing; a store outage fails only the attempt, and the
 * next attempt resumes from the job's last training checkpoint, as does one after this process was killed.
 */
@Component
class TrainHandler implements WorkHandler {

    private static final Logger log = LoggerFactory.getLogger(TrainHandler.class);

    private final TrainingJobRepository jobs;
    private final TrainingExecutions executions;
    private final IterationRepository iterations;
    private final TrainedModelRegistration registration;
    private final JobOutcomes outcomes;
    private final WorkQueue queue;
    private final JsonMapper json = JsonMapper.builder().build();

    TrainHandler(
            TrainingJobRepository jobs,
            TrainingExecutions executions,
            IterationRepository iterations,
            TrainedModelRegistration registration,
            JobOutcomes outcomes,
            WorkQueue queue) {
        this.jobs = jobs;
        this.executions = executions;
        this.iterations = iterations;
        this.registration = registration;
        this.outcomes = outcomes;
        this.queue = queue;
    }

    @Override
    public Runnable process(ClaimedUnit unit) {
        long jobId = parse(unit);
        TrainingJob job = jobs.findById(jobId)
                .orElseThrow(() -> new PermanentWorkFailure("training job " + jobId + " does not exist"));
        if (job.getStatus() == TrainingStatus.SUCCEEDED) {
            return () -> {};
        }
        if (job.getStatus() == TrainingStatus.FAILED || job.getStatus() == TrainingStatus.CANCELLED) {
            throw new PermanentWorkFailure("training job " + jobId + " is " + job.getStatus()
                    + (job.getError() == null ? "" : ": " + job.getError()));
        }
        String role = executions.modelRole(job);
        long start = System.nanoTime();
        TrainedModel trained;
        try {
            trained = executions.train(
                    job,
                    new ExecutionContext(
                            sideEffect -> queue.whileHeld(unit, sideEffect),
                            () -> queue.grantAttempt(unit),
                            () -> runCancelled(job)));
        } catch (DataAccessException | LeaseLostException | TrainerUnreachableException e) {
            // the attempt fails, the job does not: the next attempt trains or re-attaches to its trainer
            throw e;
        } catch (TrainingCancelledException e) {
            log.info("Training job {} stopped: {}", jobId, e.getMessage());
            queue.whileHeld(unit, () -> outcomes.cancelled(job, role, e.getMessage()));
            throw new PermanentWorkFailure("training job " + jobId + " was cancelled", e);
        } catch (RuntimeException | OutOfMemoryError e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (e instanceof InvalidTrainingJobException) {
                log.warn("Training job {} cannot run: {}", jobId, reason);
            } else {
                log.warn("Training job {} failed: {}", jobId, reason, e);
            }
            // a worker that lost the unit leaves the job to the one that holds it now
            queue.whileHeld(
                    unit, () -> outcomes.failed(job, role, reason, Duration.ofNanos(System.nanoTime() - start)));
            throw new PermanentWorkFailure("training job " + jobId + " failed: " + reason, e);
        }
        outcomes.succeeded(job, role, Duration.ofNanos(System.nanoTime() - start));
        return () -> registration.register(trained);
    }

    private boolean runCancelled(TrainingJob job) {
        return job.getIterationId() != null
                && iterations
                        .findById(job.getIterationId())
                        .map(iteration -> iteration.getStatus() == IterationStatus.CANCELLED)
                        .orElse(false);
    }

    private long parse(ClaimedUnit unit) {
        TrainWork task;
        try {
            task = json.readValue(unit.payload(), TrainWork.class);
        } catch (JacksonException e) {
            throw new PermanentWorkFailure(
                    "TRAIN unit " + unit.id() + " has an unreadable payload: " + e.getOriginalMessage(), e);
        }
        if (task.trainingJobId() == null) {
            throw new PermanentWorkFailure("TRAIN unit " + unit.id() + " needs a trainingJobId");
        }
        return task.trainingJobId();
    }
}
