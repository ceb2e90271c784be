package org.tsr.pairing.work;

import java.lang.management.ManagementFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.tsr.store.workqueue.StageWorker;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;

/** Runs the PAIR stage worker for as long as the application runs. */
@Component
class PairingWorker implements SmartLifecycle {

    private final WorkQueue queue;
    private final PairingHandler handler;
    private final PairingProperties properties;
    private StageWorker worker;

    PairingWorker(WorkQueue queue, PairingHandler handler, PairingProperties properties) {
        this.queue = queue;
        this.handler = handler;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (properties.workerThreads() > 0) {
            String owner = "pairing@" + ManagementFactory.getRuntimeMXBean().getName();
            worker = new StageWorker(queue, WorkStage.PAIR, owner, handler, properties.idlePoll())
                    .start(properties.workerThreads());
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
