package org.tsr.contract.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Optional;

/**
 * Where and on what a run's training jobs run, as a run's {@code trainer} settings and a {@code training_job} row
 * name them; anything left out (null) takes trainer-service's configuration.
 *
 * @param executor embedded, process, kubernetes-job or kubeflow
 * @param nodes nodes a kubeflow TrainJob spans (the other executors use one)
 * @param gpusPerNode GPUs each training pod asks for; 0 trains on the CPU
 * @param image the container image of a Kubernetes workload (the project's trainer image for kubernetes-job, the TRL
 *     image for kubeflow)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainerSettings(
        TrainingExecutor executor,
        @Min(1) @Max(MAX_NODES) Integer nodes,
        @Min(0) @Max(MAX_GPUS_PER_NODE) Integer gpusPerNode,

        @Size(min = 1, max = 512)
        @Pattern(regexp = IMAGE, message = "must be a container image reference like registry/name:tag")
        String image) {

    public static final int MAX_NODES = 256;
    public static final int MAX_GPUS_PER_NODE = 16;

    /** registry/path:tag or @sha256:digest, no spaces or shell characters. */
    static final String IMAGE = "[a-z0-9][a-zA-Z0-9._/:@-]*";

    /** A field that does not apply to the executor chosen, and why. */
    public record Misplaced(String field, String message) {}

    /**
     * The first field that does not fit the chosen executor (a run asking for 8 nodes of the embedded trainer would
     * otherwise train on one without a word); empty when every field applies, or when no executor is chosen yet.
     */
    public Optional<Misplaced> misplaced() {
        if (executor == null) {
            return Optional.empty();
        }
        boolean local = executor == TrainingExecutor.EMBEDDED || executor == TrainingExecutor.PROCESS;
        if (nodes != null && nodes > 1 && executor != TrainingExecutor.KUBEFLOW) {
            return Optional.of(
                    new Misplaced("nodes", "the " + executor + " executor trains on one node; kubeflow spans several"));
        }
        if (gpusPerNode != null && gpusPerNode > 1 && executor != TrainingExecutor.KUBEFLOW) {
            return Optional.of(new Misplaced(
                    "gpusPerNode",
                    "the " + executor + " executor trains the project's engine on one device; kubeflow runs TRL on"
                            + " several"));
        }
        if (local && image != null) {
            return Optional.of(
                    new Misplaced("image", "an image applies to kubernetes-job and kubeflow, not " + executor));
        }
        return Optional.empty();
    }

    /** Nothing chosen: every field from trainer-service's configuration. */
    public static TrainerSettings defaults() {
        return new TrainerSettings(null, null, null, null);
    }

    /** These settings with every field they leave out taken from {@code fallback}. */
    public TrainerSettings orElse(TrainerSettings fallback) {
        return new TrainerSettings(
                executor == null ? fallback.executor() : executor,
                nodes == null ? fallback.nodes() : nodes,
                gpusPerNode == null ? fallback.gpusPerNode() : gpusPerNode,
                image == null ? fallback.image() : image);
    }
}
