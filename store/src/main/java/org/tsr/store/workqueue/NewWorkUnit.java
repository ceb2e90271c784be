package org.tsr.store.workqueue;

import java.util.Objects;

/**
 * A unit of work to enqueue. {@code unitKey}, when given, makes enqueueing idempotent: a second unit with the same
 * stage and key is not created. {@code payloadJson} must be a JSON object.
 */
public record NewWorkUnit(WorkStage stage, Long iterationId, String unitKey, String payloadJson, int maxAttempts) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public NewWorkUnit {
        Objects.requireNonNull(stage, "stage");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    public static NewWorkUnit of(WorkStage stage, Long iterationId, String payloadJson) {
        return new NewWorkUnit(stage, iterationId, null, payloadJson, DEFAULT_MAX_ATTEMPTS);
    }

    public NewWorkUnit withKey(String key) {
        return new NewWorkUnit(stage, iterationId, key, payloadJson, maxAttempts);
    }

    public NewWorkUnit withMaxAttempts(int attempts) {
        return new NewWorkUnit(stage, iterationId, unitKey, payloadJson, attempts);
    }
}
