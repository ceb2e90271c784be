package org.tsr.trainer.work;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tsr.store.workqueue.StageWorkerLifecycle;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.trainer.TrainerProperties;

@Configuration(proxyBeanMethods = false)
class TrainWorkerConfiguration {

    @Bean
    StageWorkerLifecycle trainWorker(WorkQueue queue, TrainHandler handler, TrainerProperties properties) {
        return new StageWorkerLifecycle(
                queue, WorkStage.TRAIN, handler, properties.workerThreads(), properties.idlePoll());
    }
}
