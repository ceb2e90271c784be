package org.tsr.trainer.kubernetes;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The kubernetes-job and kubeflow executors: where their workloads run, from which images, how their pods reach the
 * checkpoints volume, and how trainer-service follows them.
 *
 * @param enabled creates the Kubernetes client and both executors; off, runs that ask for them fail naming the setting
 * @param namespace where workloads are created; left out, the client's own (in a pod: the pod's namespace)
 * @param job the batch Job of the kubernetes-job executor
 * @param kubeflow the TrainJob of the kubeflow executor
 * @param checkpoints the volume every pod of the platform shares
 * @param pods what every training pod gets (a TrainJob's pods take all but their resources from its runtime)
 * @param pollInterval how often a workload, its pods and its log are read when no watch event came sooner
 * @param deadline how long a workload may take from its creation before it is deleted and its job fails; left out,
 *     no limit
 * @param logTailLines the lines of a training pod's log read each time: more than a trainer prints in one poll interval
 * @param allowedImages images a run may name in {@code trainer.image} besides the configured ones: exact references, or
 *     prefixes ending in {@code /} or {@code :} (a registry path, a repository's tags); empty, a run cannot choose an
 *     image. A training pod mounts the shared checkpoints volume read-write, so whoever may create runs must not
 *     choose what runs there unless the operator said so.
 */
@Validated
@ConfigurationProperties("tsr.trainer.kubernetes")
public record KubernetesProperties(
        @DefaultValue("false") boolean enabled,
        String namespace,
        @DefaultValue @NotNull @Valid Job job,
        @DefaultValue @NotNull @Valid Kubeflow kubeflow,
        @DefaultValue @NotNull @Valid Checkpoints checkpoints,
        @DefaultValue @NotNull @Valid Pods pods,

        @DefaultValue("10s") @NotNull @DurationMin(inclusive = false)
        Duration pollInterval,

        @DurationMin(inclusive = false) Duration deadline,

        @DefaultValue("500") @Min(1) @Max(100_000) int logTailLines,
        @DefaultValue @NotNull List<@NotBlank @Pattern(regexp = IMAGE) String> allowedImages) {

    /** registry/path:tag or @sha256:digest, as a run's trainer.image. */
    static final String IMAGE = "[a-z0-9][a-zA-Z0-9._/:@-]*";

    /** A Kubernetes quantity: 4, 500m, 32Gi. */
    static final String QUANTITY = "[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?";

    /**
     * @param image the project's trainer image (the trainer-service image; -cu128 for GPUs), unless a run names one
     * @param backoffLimit pod failures the Job retries, each resuming from the last training checkpoint; node
     *     disruptions (preemption, eviction) are not counted
     */
    public record Job(
            @DefaultValue("tsr/trainer-service:0.1.0") @NotBlank @Pattern(regexp = IMAGE)
            String image,

            @DefaultValue("0") @Min(0) @Max(100) int backoffLimit) {}

    /**
     * @param image the TRL trainer image (deploy/trainer), unless a run names one
     * @param runtime the training runtime TrainJobs refer to; it mounts the checkpoints volume
     * @param runtimeKind TrainingRuntime (in the namespace) or ClusterTrainingRuntime
     * @param command the trainer container's command; the export folder is its one argument. The torch runtime sets
     *     torchrun's PET_ variables, so torchrun starts one process per GPU on every node
     */
    public record Kubeflow(
            @DefaultValue("tsr/trl-trainer:0.1.0") @NotBlank @Pattern(regexp = IMAGE)
            String image,

            @DefaultValue("torch-distributed") @NotBlank String runtime,

            @DefaultValue("ClusterTrainingRuntime") @NotNull @Pattern(regexp = "TrainingRuntime|ClusterTrainingRuntime")
            String runtimeKind,

            @DefaultValue({"torchrun", "/opt/tsr-trainer/train.py"}) @NotEmpty
            List<@NotBlank String> command) {}

    /**
     * @param claim the ReadWriteMany PersistentVolumeClaim holding the checkpoints folder
     * @param mountPath where every pod mounts it: the same path as trainer-service's, so the absolute paths in a job's
     *     export mean the same file in every pod
     */
    public record Checkpoints(
            @DefaultValue("tsr-checkpoints") @NotBlank String claim,

            @DefaultValue("/var/lib/tsr/checkpoints") @NotNull
            Path mountPath) {}

    /**
     * @param serviceAccount the training pods' service account; left out, the namespace's default (the pods get no API
     *     token either way)
     * @param cpu CPUs each training pod requests
     * @param memory memory each training pod requests and is limited to
     * @param gpuResource the extended resource a GPU is requested as
     * @param nodeSelector labels of the nodes training pods may run on, each {@code label=value} (a list rather than a
     *     map, so that labels like nvidia.com/gpu.present can be given in an environment variable)
     * @param tolerations taints of those nodes that training pods tolerate
     */
    public record Pods(
            String serviceAccount,

            @DefaultValue("4") @NotNull @Pattern(regexp = QUANTITY)
            String cpu,

            @DefaultValue("32Gi") @NotNull @Pattern(regexp = QUANTITY)
            String memory,

            @DefaultValue("nvidia.com/gpu") @NotBlank String gpuResource,
            @DefaultValue List<@Pattern(regexp = "[^=]+=[^=]*", message = "must be label=value") String> nodeSelector,
            @DefaultValue List<@Valid Toleration> tolerations) {}

    /** A taint a training pod tolerates; an operator Exists without a key tolerates every taint of that effect. */
    public record Toleration(
            String key,

            @DefaultValue("Exists") @Pattern(regexp = "Exists|Equal")
            String operator,

            String value,

            @Pattern(regexp = "NoSchedule|PreferNoSchedule|NoExecute")
            String effect) {}
}
