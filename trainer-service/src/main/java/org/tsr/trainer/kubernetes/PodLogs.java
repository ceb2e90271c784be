package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The new lines of the trainer's log, read as a tail of each pod's log with the kubelet's timestamps: a line is new when
 * it is later than the last one taken from that pod (lines of the same instant are counted), so reading the same tail
 * twice yields nothing twice. Only the pods of node 0 are read (a batch Job's pods have no completion index), since
 * the trainer's rank 0 prints the progress lines.
 */
final class PodLogs {

    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

    /** What the follower does with a line: {@code replayed} when it was in the log before this follower attached. */
    interface Sink {
        void line(String line, boolean replayed);
    }

    private record Position(Instant last, int atLast) {}

    private final KubernetesClient client;
    private final String namespace;
    private final String container;
    private final int tailLines;
    private final Map<String, Position> positions = new HashMap<>();
    private final Set<String> done = new HashSet<>();
    private Set<String> replay;

    /** @param reattached the pods there already hold lines an earlier trainer-service has taken */
    PodLogs(KubernetesClient client, String namespace, String container, int tailLines, boolean reattached) {
        this.client = client;
        this.namespace = namespace;
        this.container = container;
        this.tailLines = tailLines;
        this.replay = reattached ? null : new HashSet<>();
    }

    void read(List<Pod> pods, Sink sink) {
        List<Pod> leads = pods.stream()
                .filter(pod -> {
                    String index = pod.getMetadata().getLabels().get(COMPLETION_INDEX);
                    return index == null || index.equals("0");
                })
                .sorted(Comparator.comparing(
                        pod -> String.valueOf(pod.getMetadata().getCreationTimestamp())))
                .toList();
        if (replay == null) {
            replay = new HashSet<>(leads.stream()
                    .filter(this::started)
                    .map(pod -> pod.getMetadata().getName())
                    .toList());
        }
        for (Pod pod : leads) {
            String name = pod.getMetadata().getName();
            if (!done.contains(name) && started(pod)) {
                boolean ended = ended(pod);
                read(name, sink);
                replay.remove(name);
                if (ended) {
                    done.add(name);
                }
            }
        }
    }

    private void read(String pod, Sink sink) {
        String text;
        try {
            text = client.pods()
                    .inNamespace(namespace)
                    .withName(pod)
                    .inContainer(container)
                    .usingTimestamps()
                    .tailingLines(tailLines)
                    .getLog();
        } catch (KubernetesClientException e) {
            // not there yet, or gone with its pod: the next read or the workload's status tells the rest
            return;
        }
        if (text == null || text.isEmpty()) {
            return;
        }
        boolean replayed = replay.contains(pod);
        Position position = positions.get(pod);
        Instant seen = position == null ? Instant.MIN : position.last();
        int skip = position == null ? 0 : position.atLast();
        Instant last = seen;
        int atLast = skip;
        Instant previous = seen;
        for (String raw : text.split("\n")) {
            if (raw.isEmpty()) {
                continue;
            }
            int space = raw.indexOf(' ');
            Instant stamped = space > 0 ? instant(raw.substring(0, space)) : null;
            // a line without a timestamp (never from the kubelet) counts as of the line before it
            Instant at = stamped != null ? stamped : previous;
            String line = stamped != null ? raw.substring(space + 1) : raw;
            previous = at;
            if (at.isBefore(seen)) {
                continue;
            }
            if (at.equals(seen) && skip > 0) {
                skip--;
                continue;
            }
            sink.line(line, replayed);
            if (at.equals(last)) {
                atLast++;
            } else {
                last = at;
                atLast = 1;
            }
        }
        positions.put(pod, new Position(last, atLast));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether its trainer container ever ran: before that, the log endpoint has nothing to say. */
    private boolean started(Pod pod) {
        return trainer(pod) != null
                && trainer(pod).getState() != null
                && (trainer(pod).getState().getRunning() != null
                        || trainer(pod).getState().getTerminated() != null);
    }

    private static boolean ended(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private ContainerStatus trainer(Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(status -> container.equals(status.getName()))
                .findFirst()
                .orElse(null);
    }
}
