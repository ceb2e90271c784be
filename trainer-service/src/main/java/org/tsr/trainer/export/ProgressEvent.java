package org.tsr.trainer.export;

import java.util.Map;

/**
 * What a trainer outside trainer-service's JVM reports, one JSON line each on its standard output (a child process)
 * or its log (a Kubernetes pod), read by {@link ProgressLines}. The step's metrics use the embedded trainer's names,
 * which are TRL's.
 */
public sealed interface ProgressEvent {

    /** Training begins: its step count and a line for the job's log. */
    record Started(int totalSteps, int examples, String description) implements ProgressEvent {}

    /** One optimizer step's metrics. */
    record Step(Map<String, Object> metrics) implements ProgressEvent {}

    /** A resumable training checkpoint was written after {@code step}. */
    record Checkpointed(int step) implements ProgressEvent {}

    /** The model was written; the summary becomes the job's metrics. */
    record Finished(int steps, Map<String, Object> summary) implements ProgressEvent {}

    /**
     * Training stopped; {@code field} names the job setting at fault when the job cannot be trained as written
     * (retrying will not help), null for other failures.
     */
    record Failed(String reason, String field) implements ProgressEvent {}

    /** Any other line the trainer printed, kept in the job's log. */
    record Log(String line) implements ProgressEvent {}
}
