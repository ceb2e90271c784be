package org.tsr.gateway.runs;

import java.time.Instant;
import java.util.List;
import org.tsr.gateway.settings.RunSettings;
import tools.jackson.databind.JsonNode;

/**
 * A run as the API shows it: where it is, how far the current phase got, and for each iteration the wall time of each
 * finished phase (seconds) and its diagnostics.
 */
public record RunView(
        long id,
        String name,
        String method,
        String status,
        String failureReason,
        long initialGenerationId,
        RunSettings settings,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        List<IterationView> iterations) {

    public record IterationView(
            int index,
            String phase,
            String status,
            Long policyGenerationId,
            Long futureGenerationId,
            Long nextGenerationId,
            Integer promptChunk,
            Progress progress,
            JsonNode timings,
            JsonNode diagnostics) {}

    /** Work units of the current phase. */
    public record Progress(long done, long total, long running, long failed) {}
}
