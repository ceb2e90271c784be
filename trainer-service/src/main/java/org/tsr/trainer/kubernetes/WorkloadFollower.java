package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.tsr.trainer.execution.TrainerUnreachableException;
import org.tsr.trainer.execution.TrainingCancelledException;

/**
 * Follows a workload until it ends: reads its status, its pods and the new lines of its trainer's log every poll
 * interval, or at once when a watch on the workload or its pods reports a change (the watches only wake the loop up,
 * so a watch that drops loses nothing). It ends the workload itself when its run is cancelled, when a pod is stuck
 * ({@link PodProblems#STUCK}) and when the configured deadline has passed; a workload deleted by anyone else fails.
 */
final class WorkloadFollower {

    /** What a follower reports as it goes. */
    interface Listener extends PodLogs.Sink {

        /** The workload or its pods changed, in one line for the job's log. */
        void status(String description);
    }

    /** How a workload ended: it succeeded, or why it did not. */
    record Outcome(boolean succeeded, String reason) {

        static Outcome success() {
            return new Outcome(true, null);
        }

        static Outcome failure(String reason) {
            return new Outcome(false, reason);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final KubernetesProperties properties;

    WorkloadFollower(KubernetesClient client, String namespace, KubernetesProperties properties) {
        this.client = client;
        this.namespace = namespace;
        this.properties = properties;
    }

    /**
     * @param reattached the workload was running before this follower came: the lines already in its log were
     *     recorded by the trainer-service that started it
     * @throws TrainingCancelledException once {@code cancelled} says so; the workload is deleted first
     */
    Outcome follow(Workload workload, String name, boolean reattached, Listener listener, BooleanSupplier cancelled) {
        String what = workload.kind() + " " + name;
        Instant deadline;
        try {
            deadline = deadline(workload.createdAt(name));
        } catch (KubernetesClientException e) {
            throw KubernetesExecution.failure("cannot read the " + what, e);
        }
        PodLogs logs =
                new PodLogs(client, namespace, workload.trainerContainer(), properties.logTailLines(), reattached);
        Wakeups wakeups = new Wakeups(workload, name);
        // the watches close first: the deletion's own events are not needed, and a watch still streaming them while
        // its socket closes can stall the API server's side (fabric8's mock server held its event loop 20 s and more)
        Runnable delete = () -> {
            wakeups.close();
            workload.delete(name);
        };
        String described = null;
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    delete.run();
                    throw new TrainingCancelledException("the run was cancelled; trainer-service deleted the " + what);
                }
                wakeups.open();
                try {
                    Optional<WorkloadStatus> status = workload.status(name);
                    List<Pod> pods = pods(workload, name);
                    logs.read(pods, listener);
                    if (status.isEmpty()) {
                        return Outcome.failure(
                                "the " + what + " was deleted before it finished, not by trainer-service");
                    }
                    String description = what + ": " + status.get() + "; " + PodProblems.describe(pods);
                    if (!description.equals(described)) {
                        listener.status(description);
                        described = description;
                    }
                    Optional<Outcome> outcome = outcome(workload, name, status.get(), pods, deadline, delete);
                    if (outcome.isPresent()) {
                        return outcome.get();
                    }
                } catch (KubernetesClientException e) {
                    if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN
                            || e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED) {
                        throw new IllegalStateException(
                                "trainer-service may not follow the " + what + " (its Role grants get, list and watch"
                                        + " on the workload, pods and pods/log): " + e.getMessage(),
                                e);
                    }
                    // the API server is briefly unreachable or busy: the next poll asks again
                    String description = what + ": cannot be read now (" + e.getMessage() + "); retrying";
                    if (!description.equals(described)) {
                        listener.status(description);
                        described = description;
                    }
                }
                wakeups.await(properties.pollInterval());
            }
        } finally {
            wakeups.close();
        }
    }

    private Optional<Outcome> outcome(
            Workload workload, String name, WorkloadStatus status, List<Pod> pods, Instant deadline, Runnable delete) {
        String what = workload.kind() + " " + name;
        switch (status.phase()) {
            case SUCCEEDED -> {
                return Optional.of(Outcome.success());
            }
            case FAILED -> {
                List<String> reasons = new ArrayList<>();
                if (status.detail() != null) {
                    reasons.add(status.detail());
                }
                reasons.addAll(PodProblems.terminations(pods));
                return Optional.of(Outcome.failure(
                        "the " + what + " failed" + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons))));
            }
            default -> {
                Optional<String> stuck = PodProblems.stuck(pods);
                if (stuck.isPresent()) {
                    delete.run();
                    return Optional.of(Outcome.failure(
                            "the " + what + " cannot run, " + stuck.get() + "; trainer-service deleted it"));
                }
                if (deadline != null && Instant.now().isAfter(deadline)) {
                    delete.run();
                    return Optional.of(
                            Outcome.failure("the " + what + " ran past its deadline of " + properties.deadline()
                                    + " (tsr.trainer.kubernetes.deadline); trainer-service deleted it"));
                }
                return Optional.empty();
            }
        }
    }

    private List<Pod> pods(Workload workload, String name) {
        return client.pods()
                .inNamespace(namespace)
                .withLabels(workload.podLabels(name))
                .list()
                .getItems();
    }

    /** The deadline counts from the workload's creation, so a re-attached follower keeps the first one's. */
    private Instant deadline(String createdAt) {
        Duration limit = properties.deadline();
        if (limit == null) {
            return null;
        }
        Instant start = Instant.now();
        if (createdAt != null) {
            try {
                start = Instant.parse(createdAt);
            } catch (DateTimeParseException e) {
                // an odd timestamp: count from now
            }
        }
        return start.plus(limit);
    }

    /** Watches on the workload and its pods that wake the follower up; reopened on the next poll when they drop. */
    private final class Wakeups {

        private final Workload workload;
        private final String name;
        private final Semaphore signal = new Semaphore(0);
        private final List<Watch> watches = new ArrayList<>();
        private volatile boolean dropped = true;

        Wakeups(Workload workload, String name) {
            this.workload = workload;
            this.name = name;
        }

        void open() {
            if (!dropped) {
                return;
            }
            close();
            dropped = false;
            try {
                watches.add(workload.watch(name, signal::release, this::drop));
                watches.add(client.pods()
                        .inNamespace(namespace)
                        .withLabels(workload.podLabels(name))
                        .watch(new Watcher<>() {
                            @Override
                            public void eventReceived(Action action, Pod pod) {
                                signal.release();
                            }

                            @Override
                            public void onClose(WatcherException cause) {
                                drop();
                            }
                        }));
            } catch (KubernetesClientException e) {
                // polling alone still follows the workload; the next poll tries to watch again
                dropped = true;
            }
        }

        private void drop() {
            dropped = true;
            signal.release();
        }

        void await(Duration poll) {
            try {
                signal.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
            } catch (InterruptedException e) {
                // shutting down: the workload trains on, and the next attempt re-attaches to it
                Thread.currentThread().interrupt();
                throw new TrainerUnreachableException(
                        "interrupted while following the " + workload.kind() + " " + name, e);
            }
        }

        void close() {
            watches.forEach(Watch::close);
            watches.clear();
        }
    }
}
