package org.tsr.store.workqueue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes waiting workers and the conductor as soon as the queue changes, instead of at their next poll. The queue
 * sends a PostgreSQL notification on channel {@value #CHANNEL} when units are enqueued (payload: the stage) and when
 * a unit is completed or failed ({@value #PROGRESS}); one connection per process listens and wakes the threads waiting
 * for that payload. Notifications are an accelerator only: every wait is bounded by the caller's poll interval, so a
 * lost notification (a dropped connection, a missed wake-up) costs at most one poll.
 */
@Component
public class WorkSignals implements SmartLifecycle {

    static final String CHANNEL = "tsr_work";
    public static final String PROGRESS = "progress";

    private static final Logger log = LoggerFactory.getLogger(WorkSignals.class);

    private final DataSource dataSource;
    private final Map<String, Signal> signals = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread listener;

    WorkSignals(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A counter of the notifications seen for one payload, with its monitor. */
    private static final class Signal {
        private long count;
    }

    /** The current mark of a payload: take it before looking for work, then wait for it to change. */
    public long mark(String payload) {
        Signal signal = signal(payload);
        synchronized (signal) {
            return signal.count;
        }
    }

    /**
     * Waits until a notification for the payload arrives after {@code mark} was taken, or at most {@code max}.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void await(String payload, long mark, Duration max) throws InterruptedException {
        Signal signal = signal(payload);
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (signal) {
            while (signal.count == mark) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                signal.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Wakes this process's threads waiting for the payload, as a notification would (a stopping loop uses it). */
    public void wake(String payload) {
        signal(payload, 1);
    }

    void signal(String payload, long times) {
        Signal signal = signal(payload);
        synchronized (signal) {
            signal.count += times;
            signal.notifyAll();
        }
    }

    private Signal signal(String payload) {
        return signals.computeIfAbsent(payload, key -> new Signal());
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "work-signals");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            signal(notification.getParameter(), 1);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.debug("Work notifications paused, polling meanwhile: {}", e.getMessage());
                    sleep();
                }
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    @Override
    public void stop() {
        running = false;
        if (listener != null) {
            // ends a wait for a pooled connection (a database going away at shutdown would hold it for the pool's
            // connection timeout); a wait for notifications ends by itself within half a second
            listener.interrupt();
            try {
                listener.join(2000);
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
