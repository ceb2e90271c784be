package org.tsr.generator.work;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tsr.store.workqueue.StageWorkerLifecycle;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;

@Configuration(proxyBeanMethods = false)
class GeneratorWorkerConfiguration {

    @Bean
    StageWorkerLifecycle generateWorker(WorkQueue queue, GenerateHandler handler, GeneratorProperties properties) {
        return new StageWorkerLifecycle(
                queue, WorkStage.GENERATE, handler, properties.workerThreads(), properties.idlePoll());
    }
}
