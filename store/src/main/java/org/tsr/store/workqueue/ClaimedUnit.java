package org.tsr.store.workqueue;

import java.time.Instant;

/**
 * A unit leased to one worker. {@code owner} and {@code attempt} together fence the lease: once the unit is claimed
 * again by someone else, this claim can neither renew nor complete it.
 */
public record ClaimedUnit(
        long id,
        WorkStage stage,
        Long iterationId,
        String payload,
        String owner,
        int attempt,
        Instant leaseExpiresAt) {}
