package org.tsr.trainer.execution;

import org.tsr.contract.training.TrainingExecutor;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.TrainedModel;

/** One way to run a training job: trains it where its executor runs jobs, waits for it and publishes the model. */
public interface TrainingExecution {

    TrainingExecutor executor();

    /**
     * Trains the job and publishes its model ({@link org.tsr.trainer.job.PreparedJobs#publish}) while the unit is
     * still held.
     *
     * @throws org.tsr.trainer.job.InvalidTrainingJobException if the job cannot be trained as written
     * @throws TrainingCancelledException if the job's run was cancelled while it trained
     */
    TrainedModel train(PreparedJob job, ExecutionContext context);
}
