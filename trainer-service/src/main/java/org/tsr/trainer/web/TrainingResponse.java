package org.tsr.trainer.web;

import java.time.Instant;
import org.tsr.contract.training.TrainingKind;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A training job's state: progress as step of total steps, the latest step's metrics (TRL names), and once done
 * the generation it produced or why it failed; where it trains ({@code executor}, and the Kubernetes {@code workload}
 * when it has one) once it started.
 */
public record TrainingResponse(
        long id,
        TrainingKind kind,
        TrainingStatus status,
        int step,
        Integer totalSteps,
        JsonNode metrics,
        long baseGenerationId,
        Long referenceGenerationId,
        Long outputGenerationId,
        String executor,
        String workload,
        String error,
        String logTail,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static TrainingResponse of(TrainingJob job) {
        return new TrainingResponse(
                job.getId(),
                job.getKind(),
                job.getStatus(),
                job.getStep(),
                job.getTotalSteps(),
                JSON.readTree(job.getMetrics()),
                job.getBaseGenerationId(),
                job.getReferenceGenerationId(),
                job.getOutputGenerationId(),
                job.getExecutor(),
                job.getWorkload(),
                job.getError(),
                job.getLogTail(),
                job.getCreatedAt(),
                job.getStartedAt(),
                job.getFinishedAt());
    }
}
