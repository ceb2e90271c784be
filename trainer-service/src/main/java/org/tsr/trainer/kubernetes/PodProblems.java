package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** What a workload's pods say about it, in words for the job's log and error. */
final class PodProblems {

    /**
     * Waiting reasons a training pod does not get past on its own: an image that cannot be pulled, a container that
     * cannot be created or keeps crashing. The Job would wait (or retry) until its deadline while holding a node's
     * GPUs, so the follower ends the workload instead.
     */
    static final Set<String> STUCK = Set.of(
            "ErrImagePull",
            "ImagePullBackOff",
            "InvalidImageName",
            "CrashLoopBackOff",
            "CreateContainerConfigError",
            "CreateContainerError",
            "RunContainerError");

    private PodProblems() {}

    /** The first container that is stuck, as "pod P: container C REASON: message". */
    static Optional<String> stuck(List<Pod> pods) {
        for (Pod pod : pods) {
            for (ContainerStatus container : containers(pod)) {
                ContainerState state = container.getState();
                if (state != null
                        && state.getWaiting() != null
                        && STUCK.contains(state.getWaiting().getReason())) {
                    String last = lastTermination(container);
                    return Optional.of(
                            where(pod, container) + " " + state.getWaiting().getReason()
                                    + message(state.getWaiting().getMessage())
                                    + (last.isEmpty() ? "" : " (last run: " + last + ")"));
                }
            }
        }
        return Optional.empty();
    }

    /** Why the pods' containers ended badly (OOMKilled, a non-zero exit), and why a pod itself failed (Evicted). */
    static List<String> terminations(List<Pod> pods) {
        List<String> reasons = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase())) {
                String reason = WorkloadStatus.detail(
                        pod.getStatus().getReason(), pod.getStatus().getMessage());
                if (reason != null) {
                    reasons.add("pod " + pod.getMetadata().getName() + ": " + reason);
                }
            }
            for (ContainerStatus container : containers(pod)) {
                ContainerStateTerminated terminated = container.getState() == null
                        ? null
                        : container.getState().getTerminated();
                if (terminated != null && terminated.getExitCode() != null && terminated.getExitCode() != 0) {
                    reasons.add(where(pod, container) + " " + terminated(terminated));
                }
            }
        }
        return reasons;
    }

    /** One line on where each pod is: its phase, and why it waits when it does. */
    static String describe(List<Pod> pods) {
        if (pods.isEmpty()) {
            return "no pods yet";
        }
        List<String> parts = new ArrayList<>();
        for (Pod pod : pods) {
            String phase = pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
            String why = pod.getStatus() == null
                    ? ""
                    : pod.getStatus().getConditions().stream()
                            .filter(condition ->
                                    "PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus()))
                            .map(PodProblems::condition)
                            .findFirst()
                            .orElse("");
            parts.add("pod " + pod.getMetadata().getName() + " " + phase + (why.isEmpty() ? "" : " (" + why + ")"));
        }
        return String.join(", ", parts);
    }

    private static String condition(PodCondition condition) {
        return WorkloadStatus.detail(condition.getReason(), condition.getMessage());
    }

    private static List<ContainerStatus> containers(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        return Stream.concat(
                        pod.getStatus().getInitContainerStatuses().stream(),
                        pod.getStatus().getContainerStatuses().stream())
                .toList();
    }

    private static String lastTermination(ContainerStatus container) {
        ContainerState last = container.getLastState();
        return last == null || last.getTerminated() == null ? "" : terminated(last.getTerminated());
    }

    private static String terminated(ContainerStateTerminated terminated) {
        String reason = terminated.getReason() == null ? "terminated" : terminated.getReason();
        return reason + " (exit code " + terminated.getExitCode() + ")" + message(terminated.getMessage());
    }

    private static String where(Pod pod, ContainerStatus container) {
        return "pod " + pod.getMetadata().getName() + ": container " + container.getName();
    }

    private static String message(String message) {
        return message == null || message.isBlank() ? "" : ": " + message.strip();
    }
}
