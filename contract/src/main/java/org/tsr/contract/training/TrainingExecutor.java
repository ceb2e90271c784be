package org.tsr.contract.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a training job runs. Every executor reads the same job and writes a Hugging Face checkpoint that the trainer
 * validates and enters into the lineage; the store and the checkpoints volume are all they share.
 */
public enum TrainingExecutor {
    /** On the embedded engine inside trainer-service's own JVM. */
    EMBEDDED("embedded"),
    /** The project's trainer as a separate operating-system process reading the job's export. */
    PROCESS("process"),
    /** The project's trainer image as a Kubernetes batch/v1 Job on one node. */
    KUBERNETES_JOB("kubernetes-job"),
    /** A Kubeflow Trainer TrainJob running TRL on one or more nodes. */
    KUBEFLOW("kubeflow");

    private final String id;

    TrainingExecutor(String id) {
        this.id = id;
    }

    /** The name in configuration, run settings and JSON, e.g. {@code kubernetes-job}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Whether the job leaves trainer-service's JVM and runs outside this machine, followed by its workload. */
    public boolean onKubernetes() {
        return this == KUBERNETES_JOB || this == KUBEFLOW;
    }

    /**
     * Reads an executor by its name (any case; underscores for dashes are accepted).
     *
     * @throws IllegalArgumentException naming the executors there are
     */
    @JsonCreator
    public static TrainingExecutor of(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values())
                .filter(executor -> executor.id.equals(wanted))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("unknown training executor '" + name + "'; one of " + names()));
    }

    public static String names() {
        return String.join(
                ", ", Arrays.stream(values()).map(TrainingExecutor::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
