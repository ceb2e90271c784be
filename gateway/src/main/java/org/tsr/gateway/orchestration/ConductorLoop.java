package org.tsr.gateway.orchestration;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkSignals;

/**
 * Runs the conductor: a tick as soon as any work unit is completed or failed (the queue's notification), and at least
 * every {@code tsr.orchestration.tick} in any case, so a phase starts the moment the last unit of the one before ends.
 * {@code tsr.orchestration.conduct=false} leaves the conductor to be ticked by hand (tests do).
 */
@Component
class ConductorLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConductorLoop.class);

    private final RunConductor conductor;
    private final WorkSignals signals;
    private final Duration tick;
    private final boolean conduct;
    private volatile boolean running;
    private Thread thread;

    ConductorLoop(
            RunConductor conductor,
            WorkQueue queue,
            @Value("${tsr.orchestration.tick:1s}") Duration tick,
            @Value("${tsr.orchestration.conduct:true}") boolean conduct) {
        this.conductor = conductor;
        this.signals = queue.signals();
        this.tick = tick;
        this.conduct = conduct;
    }

    @Override
    public void start() {
        running = true;
        if (!conduct) {
            return;
        }
        thread = new Thread(this::loop, "run-conductor");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long mark = signals.mark(WorkSignals.PROGRESS);
            try {
                conductor.tick();
            } catch (RuntimeException e) {
                log.warn("The conductor's tick failed; trying again: {}", e.getMessage());
            }
            try {
                signals.await(WorkSignals.PROGRESS, mark, tick);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            signals.wake(WorkSignals.PROGRESS);
            try {
                // a tick in progress finishes its transaction; a waiting loop was just woken
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
