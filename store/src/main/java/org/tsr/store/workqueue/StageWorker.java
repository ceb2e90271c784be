package org.tsr.store.workqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one stage of the work queue with a few threads: claim a unit, keep its lease alive while the handler works,
 * then complete it with its results or record the failure. A unit whose lease is lost mid-way (this process paused
 * longer than the lease) is left to the worker that claimed it next.
 */
public final class StageWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StageWorker.class);

    private final WorkQueue queue;
    private final WorkStage stage;
    private final String owner;
    private final WorkHandler handler;
    private final Duration idlePoll;
    private final ScheduledExecutorService leaseKeeper;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param owner identifies this process in leases (host and pid, say); each thread appends its number
     * @param idlePoll how long a thread sleeps when the stage has nothing to claim
     */
    public StageWorker(WorkQueue queue, WorkStage stage, String owner, WorkHandler handler, Duration idlePoll) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.stage = Objects.requireNonNull(stage, "stage");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.idlePoll = Objects.requireNonNull(idlePoll, "idlePoll");
        this.leaseKeeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease-keeper-" + stage.name().toLowerCase(java.util.Locale.ROOT));
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts {@code threadCount} threads that claim and process units until {@link #close()}. */
    public synchronized StageWorker start(int threadCount) {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("worker for " + stage + " already started");
        }
        for (int i = 0; i < threadCount; i++) {
            String threadOwner = owner + "/" + i;
            Thread thread = new Thread(() -> loop(threadOwner), "worker-" + stage + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    private void loop(String threadOwner) {
        while (running.get()) {
            try {
                long mark = queue.signals().mark(stage.name());
                if (!processOne(threadOwner)) {
                    // woken early when units of this stage are enqueued
                    queue.signals().await(stage.name(), mark, idlePoll);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database was unreachable or similar: back off and keep the thread alive
                log.warn("{} worker {} could not reach the queue: {}", stage, threadOwner, e.getMessage());
                sleepQuietly(idlePoll);
            } catch (Error e) {
                // an Error outside a handler (out of memory while claiming, say): the thread stays to try again
                log.error("{} worker {} hit {}; it keeps working", stage, threadOwner, e, e);
                sleepQuietly(idlePoll);
            }
        }
    }

    /** Claims and processes at most one unit as {@code claimOwner}; false if there was nothing to claim. */
    public boolean processOne(String claimOwner) {
        List<ClaimedUnit> claimed = queue.claim(stage, claimOwner, 1);
        if (claimed.isEmpty()) {
            return false;
        }
        process(claimed.get(0));
        return true;
    }

    private void process(ClaimedUnit unit) {
        long renewEveryMillis = Math.max(1, queue.properties().lease().toMillis() / 3);
        ScheduledFuture<?> renewal = leaseKeeper.scheduleAtFixedRate(
                () -> renewQuietly(unit), renewEveryMillis, renewEveryMillis, TimeUnit.MILLISECONDS);
        try {
            Runnable results = handler.process(unit);
            renewal.cancel(false);
            queue.complete(unit, results == null ? () -> {} : results);
        } catch (LeaseLostException e) {
            log.warn("{}; its results were discarded", e.getMessage());
        } catch (PermanentWorkFailure e) {
            failQuietly(unit, e, true);
        } catch (Exception e) {
            failQuietly(unit, e, false);
        } catch (Error e) {
            // out of memory, a stack overflow, a native library's error: the attempt fails and the thread lives on,
            // as the next unit may well fit; the error is logged in full, since it may be a bug
            log.error("Work unit {} ({}) attempt {} hit {}", unit.id(), stage, unit.attempt(), e, e);
            failQuietly(unit, e, false);
        } finally {
            renewal.cancel(false);
        }
    }

    private void renewQuietly(ClaimedUnit unit) {
        try {
            if (!queue.renew(unit)) {
                log.warn("Lost the lease on work unit {} ({})", unit.id(), stage);
            }
        } catch (RuntimeException e) {
            log.warn("Could not renew the lease on work unit {}: {}", unit.id(), e.getMessage());
        }
    }

    private void failQuietly(ClaimedUnit unit, Throwable cause, boolean permanent) {
        String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        try {
            WorkStatus status = permanent ? queue.failPermanently(unit, message) : queue.fail(unit, message);
            log.warn(
                    "Work unit {} ({}) attempt {} failed, now {}: {}",
                    unit.id(),
                    stage,
                    unit.attempt(),
                    status,
                    message);
        } catch (LeaseLostException e) {
            log.warn("{}; its failure was not recorded", e.getMessage());
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops claiming and lets each thread finish the unit it holds, waiting for each up to the queue's shutdown grace.
     */
    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, queue.properties().shutdownGrace().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        leaseKeeper.shutdownNow();
    }
}
