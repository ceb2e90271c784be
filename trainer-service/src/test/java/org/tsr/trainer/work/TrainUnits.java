package org.tsr.trainer.work;

import java.time.Duration;
import org.springframework.stereotype.Component;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.workqueue.NewWorkUnit;
import org.tsr.store.workqueue.StageWorker;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;

/** TRAIN units for a test: queue one for a job, then work every pending one on the calling thread. */
@Component
class TrainUnits {

    private final TrainHandler handler;
    private final WorkQueue queue;

    TrainUnits(TrainHandler handler, WorkQueue queue) {
        this.handler = handler;
        this.queue = queue;
    }

    long enqueue(TrainingJob job) {
        return queue.enqueue(
                NewWorkUnit.of(WorkStage.TRAIN, job.getIterationId(), "{\"trainingJobId\": " + job.getId() + "}"));
    }

    void drain() {
        StageWorker worker = new StageWorker(queue, WorkStage.TRAIN, "test", handler, Duration.ofMillis(10));
        while (worker.processOne("test/0")) {
            // every pending TRAIN unit
        }
        worker.close();
    }
}
