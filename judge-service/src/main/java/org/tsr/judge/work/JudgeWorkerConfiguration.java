package org.tsr.judge.work;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tsr.store.workqueue.StageWorkerLifecycle;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;

@Configuration(proxyBeanMethods = false)
class JudgeWorkerConfiguration {

    @Bean
    StageWorkerLifecycle judgeWorker(WorkQueue queue, JudgeHandler handler, JudgeProperties properties) {
        return new StageWorkerLifecycle(
                queue, WorkStage.JUDGE, handler, properties.workerThreads(), properties.idlePoll());
    }

    /** Pairwise comparisons of held-out responses, for runs that evaluate without an oracle. */
    @Bean
    StageWorkerLifecycle evaluationWorker(
            WorkQueue queue, PairwiseEvaluationHandler handler, JudgeProperties properties) {
        return new StageWorkerLifecycle(
                queue, WorkStage.EVALUATE, handler, properties.workerThreads(), properties.idlePoll());
    }
}
