package org.tsr.trainer.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Watch;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.trainer.job.InvalidTrainingJobException;
import org.tsr.trainer.job.PreparedJob;

/**
 * The Kubernetes object that trains one job on an executor: how it is written from a prepared job, and how it is
 * found, read, watched and removed. Its name comes from the training job's id alone, so a restarted trainer-service
 * finds the workload its predecessor created instead of submitting the job twice.
 */
sealed interface Workload permits BatchJobWorkload, TrainJobWorkload {

    String NAME_PREFIX = "tsr-train-";

    TrainingExecutor executor();

    /** What kind of object it is, for messages: "batch Job", "TrainJob". */
    String kind();

    /**
     * The object that trains the job from its export folder, named {@code name}.
     *
     * @throws org.tsr.trainer.job.InvalidTrainingJobException if the job's trainer settings do not fit this executor
     */
    HasMetadata manifest(String name, PreparedJob job, Path exportFolder);

    /** Creates the object {@link #manifest} wrote. */
    void create(HasMetadata manifest);

    /** The workload's status now, or empty when it does not exist. */
    Optional<WorkloadStatus> status(String name);

    /** When the workload was created, as its metadata says (RFC 3339), or null when unknown. */
    String createdAt(String name);

    /** Deletes the workload and, in the background, its pods. */
    void delete(String name);

    /** Calls {@code changed} on every change to the workload, until closed. */
    Watch watch(String name, Runnable changed, Runnable closed);

    /** Labels that select the pods of the workload. */
    Map<String, String> podLabels(String name);

    /** The container that runs the trainer and prints its progress lines. */
    String trainerContainer();

    static String nameOf(long jobId) {
        return NAME_PREFIX + jobId;
    }

    /** The labels on every workload, and on the pods of a batch Job. */
    static Map<String, String> labels(String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "tsr-training");
        labels.put("app.kubernetes.io/instance", name);
        labels.put("app.kubernetes.io/component", "training");
        labels.put("app.kubernetes.io/part-of", "tsr");
        labels.put("app.kubernetes.io/managed-by", "trainer-service");
        return labels;
    }

    /**
     * The image a run named for its workloads, else the executor's configured one.
     *
     * @throws InvalidTrainingJobException if the run names an image the operator did not allow
     */
    static String image(TrainerSettings trainer, String configured, List<String> allowed) {
        String named = trainer.image();
        if (named == null || named.equals(configured)) {
            return configured;
        }
        boolean permitted = allowed.stream()
                .anyMatch(entry -> entry.equals(named)
                        || ((entry.endsWith("/") || entry.endsWith(":")) && named.startsWith(entry)));
        if (!permitted) {
            throw InvalidTrainingJobException.invalid(
                    "trainer.image",
                    "trainer.image " + named + " is not allowed on this cluster; the operator lists the images runs may"
                            + " name in tsr.trainer.kubernetes.allowed-images"
                            + (allowed.isEmpty() ? " (none now)" : ""));
        }
        return named;
    }
}
