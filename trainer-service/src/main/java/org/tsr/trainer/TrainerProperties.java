package org.tsr.trainer;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.engine.EngineOptions;

/**
 * @param workerThreads TRAIN units this replica works on at once; 0 serves the REST API only
 * @param idlePoll how long an idle worker waits before asking the queue again
 * @param checkpointDir where trained models and training checkpoints are kept; put it on a volume that survives
 *     a restart, so a job claimed again resumes from its last training checkpoint
 * @param device where the engine trains ("cpu", "gpu0")
 * @param intraOpThreads the engine's intra-op threads; 0 keeps the engine's own choice
 * @param progressEvery how often a running job's step and metrics are written to its row; 0 writes every step
 * @param referenceBatchPairs pairs per forward pass when the reference model scores a dataset
 * @param executor where jobs train unless a run's {@code trainer.executor} says otherwise: embedded, process,
 *     kubernetes-job or kubeflow
 * @param gpusPerNode GPUs each Kubernetes training pod asks for unless a run's {@code trainer.gpusPerNode} says
 *     otherwise; 0 trains on the CPU
 * @param process how the process executor starts its trainer
 */
@Validated
@ConfigurationProperties("tsr.trainer")
public record TrainerProperties(
        @DefaultValue("1") @PositiveOrZero int workerThreads,

        @DefaultValue("1s") @NotNull @DurationMin(inclusive = false)
        Duration idlePoll,

        @DefaultValue("checkpoints") @NotNull Path checkpointDir,
        @DefaultValue("cpu") @NotBlank String device,
        @DefaultValue("0") @PositiveOrZero int intraOpThreads,
        @DefaultValue("2s") @NotNull @DurationMin Duration progressEvery,
        @DefaultValue("8") @Positive int referenceBatchPairs,
        @DefaultValue("embedded") @NotNull TrainingExecutor executor,

        @DefaultValue("0") @PositiveOrZero @Max(TrainerSettings.MAX_GPUS_PER_NODE)
        int gpusPerNode,

        @DefaultValue @NotNull @Valid Process process) {

    public EngineOptions engineOptions() {
        return new EngineOptions(device, intraOpThreads);
    }

    /** The trainer settings a job gets for whatever its run leaves out. */
    public TrainerSettings trainerDefaults() {
        return new TrainerSettings(executor, 1, gpusPerNode, null);
    }

    /** @param jvmOptions options of the trainer process's JVM, its heap size first of all */
    public record Process(@DefaultValue("-Xmx1g") @NotNull List<@NotBlank String> jvmOptions) {}
}
