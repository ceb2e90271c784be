package org.tsr.store.workqueue;

import java.time.Instant;

/** The stored state of a work unit. */
public record WorkUnit(
        long id,
        WorkStage stage,
        Long iterationId,
        String unitKey,
        String payload,
        WorkStatus status,
        int attempts,
        int maxAttempts,
        String leaseOwner,
        Instant leaseExpiresAt,
        String lastError,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {}
