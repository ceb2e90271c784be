package org.tsr.trainer.execution;

import java.util.List;
import org.springframework.stereotype.Component;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.contract.training.TrainingKind;
import org.tsr.engine.training.StepMetrics;
import org.tsr.engine.training.TrainingListener;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.job.EngineTraining;
import org.tsr.trainer.job.JobProgress;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.PreparedJobs;
import org.tsr.trainer.job.TrainMeters;
import org.tsr.trainer.job.TrainedModel;

/** Trains on the embedded engine inside this JVM. */
@Component
class EmbeddedExecution implements TrainingExecution {

    private final PreparedJobs jobs;
    private final JobProgress progress;
    private final TrainMeters meters;
    private final TrainerProperties properties;

    EmbeddedExecution(PreparedJobs jobs, JobProgress progress, TrainMeters meters, TrainerProperties properties) {
        this.jobs = jobs;
        this.progress = progress;
        this.meters = meters;
        this.properties = properties;
    }

    @Override
    public TrainingExecutor executor() {
        return TrainingExecutor.EMBEDDED;
    }

    @Override
    public TrainedModel train(PreparedJob job, ExecutionContext context) {
        EngineTraining training = new EngineTraining(properties.engineOptions(), properties.referenceBatchPairs());
        EngineTraining.Events events = new Events(job);
        EngineTraining.Outcome outcome = job.export().kind() == TrainingKind.SFT
                ? training.sft(job.export(), job.sft(), events)
                : training.dpo(job.export(), job.pairs(), events);
        return jobs.publish(
                job,
                outcome.result().steps(),
                JobProgress.summary(outcome.result().last(), outcome.result().resumedFromStep(), outcome.examples()),
                context.whileHeld());
    }

    private final class Events implements EngineTraining.Events {

        private final PreparedJob job;
        private final TrainingListener steps;

        Events(PreparedJob job) {
            this.job = job;
            this.steps = progress.listener(
                    job.jobId(), metrics -> meters.step(job.export().kind(), job.modelRole(), metrics));
        }

        @Override
        public void started(int totalSteps, int examples, String description) {
            progress.start(job.jobId(), totalSteps, description);
        }

        @Override
        public void referenceComputed(List<double[]> values) {
            jobs.recordReference(job, values);
        }

        @Override
        public void onStep(StepMetrics metrics) {
            steps.onStep(metrics);
        }

        @Override
        public void onCheckpoint(int step) {
            steps.onCheckpoint(step);
        }
    }
}
