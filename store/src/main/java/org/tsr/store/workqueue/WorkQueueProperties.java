package org.tsr.store.workqueue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param lease how long a claim lasts without renewal; a worker renews it every third of this while it works
 * @param retryBackoff how long a failed unit waits before it can be claimed again, doubled on each attempt
 * @param maxRetryBackoff the cap on that wait
 * @param shutdownGrace how long a stopping service waits for each worker thread to finish the unit it holds; a unit
 *     still running then is left to its lease, and claimed again once that expires
 */
@Validated
@ConfigurationProperties("tsr.work-queue")
public record WorkQueueProperties(
        @DefaultValue("60s") Duration lease,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("5m") Duration maxRetryBackoff,
        @DefaultValue("60s") Duration shutdownGrace) {

    public WorkQueueProperties {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("tsr.work-queue.lease must be positive, got " + lease);
        }
        notNegative(retryBackoff, "tsr.work-queue.retry-backoff");
        notNegative(maxRetryBackoff, "tsr.work-queue.max-retry-backoff");
        notNegative(shutdownGrace, "tsr.work-queue.shutdown-grace");
    }

    private static void notNegative(Duration value, String property) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(property + " must not be negative, got " + value);
        }
    }
}
