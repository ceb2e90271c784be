package org.tsr.pairing.work;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tsr.store.workqueue.StageWorkerLifecycle;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;

@Configuration(proxyBeanMethods = false)
class PairingWorkerConfiguration {

    @Bean
    StageWorkerLifecycle pairingWorker(WorkQueue queue, PairingHandler handler, PairingProperties properties) {
        return new StageWorkerLifecycle(
                queue, WorkStage.PAIR, handler, properties.workerThreads(), properties.idlePoll());
    }
}
