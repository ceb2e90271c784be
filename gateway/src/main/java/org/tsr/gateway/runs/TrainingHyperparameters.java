package org.tsr.gateway.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The hyperparameters a run hands its training jobs ({@code dpo}, {@code bootstrap.hyperparameters}), read when the
 * run is created so that a misspelt name, a wrong type or an absurd size fails there, naming the field, and not when
 * the first training job starts. The names are the trainer's ({@code TrainingSettings}); the bounds here are outer
 * limits that keep a job's memory and time finite, and the trainer checks the finer rules (a schedule's name, label
 * smoothing only with the sigmoid loss, ...).
 */
record TrainingHyperparameters(
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1")
        Double learningRate,

        @DecimalMin("0") @DecimalMax("1") Double minLearningRate,
        @Size(max = 32) String schedule,
        @Min(0) @Max(1_000_000) Integer warmupSteps,
        @DecimalMin("0") @DecimalMax("1") Double weightDecay,

        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000")
        Double maxGradNorm,

        @Min(1) @Max(1000) Integer epochs,
        @Min(1) @Max(MAX_ROWS_PER_STEP) Integer batchSize,
        @Min(1) @Max(MAX_ROWS_PER_STEP) Integer gradientAccumulationSteps,
        Long seed,
        @Min(1) @Max(1_000_000) Integer checkpointEvery,
        @Min(1) @Max(1000) Integer maxConsecutiveNonFiniteSteps,
        @Min(1) @Max(1_000_000) Integer snapshotEvery,

        @DecimalMin(value = "0", inclusive = false) @DecimalMax("100")
        Double beta,

        @Size(max = 32) String lossType,

        @DecimalMin("0") @DecimalMax(value = "0.5", inclusive = false)
        Double labelSmoothing,

        @DecimalMin("0") @DecimalMax("100") Double rpoAlpha,
        Boolean lengthNormalized,
        Boolean chat,
        @Min(2) @Max(131_072) Integer maxLength,
        @Valid Lora lora) {

    /** Rows one optimizer step sees at most: batch size times accumulation steps. */
    static final int MAX_ROWS_PER_STEP = 4096;

    record Lora(
            @Min(1) @Max(4096) Integer rank,

            @DecimalMin(value = "0", inclusive = false) @DecimalMax("100000")
            Double alpha,

            @DecimalMin("0") @DecimalMax(value = "1", inclusive = false)
            Double dropout,

            @Size(max = 7) List<@Size(max = 32) String> targetModules) {}

    @AssertTrue(message = "batchSize times gradientAccumulationSteps must be at most " + MAX_ROWS_PER_STEP)
    boolean isRowsPerStep() {
        long batch = batchSize == null ? 1 : batchSize;
        long accumulation = gradientAccumulationSteps == null ? 1 : gradientAccumulationSteps;
        return batch * accumulation <= MAX_ROWS_PER_STEP;
    }
}
