package org.tsr.store.workqueue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a stage's {@link StageWorker} for as long as the application runs: a service declares one as a bean with its
 * handler. With zero threads the service serves its REST API but claims no work.
 */
public class StageWorkerLifecycle implements SmartLifecycle {

    private final WorkQueue queue;
    private final WorkStage stage;
    private final WorkHandler handler;
    private final int threads;
    private final Duration idlePoll;
    private StageWorker worker;

    public StageWorkerLifecycle(WorkQueue queue, WorkStage stage, WorkHandler handler, int threads, Duration idlePoll) {
        if (threads < 0) {
            throw new IllegalArgumentException("worker threads must be >= 0, got " + threads);
        }
        this.queue = queue;
        this.stage = stage;
        this.handler = handler;
        this.threads = threads;
        this.idlePoll = idlePoll;
    }

    @Override
    public synchronized void start() {
        if (threads > 0 && worker == null) {
            // the process name (pid@host) makes leases traceable to a replica
            String owner = stage.name().toLowerCase(java.util.Locale.ROOT) + "@"
                    + ManagementFactory.getRuntimeMXBean().getName();
            worker = new StageWorker(queue, stage, owner, handler, idlePoll).start(threads);
        }
    }

    @Override
    public synchronized void stop() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return worker != null;
    }
}
