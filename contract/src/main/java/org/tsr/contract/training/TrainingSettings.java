package org.tsr.contract.training;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Path;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A training job's hyperparameters, as a run's {@code dpo} and {@code bootstrap.hyperparameters}, a direct training
 * request and the {@code training_job} row name them; anything left out (null) takes the default of the job's kind.
 * The gateway checks them when a run is created, the trainer when it reads a job, with the same bounds: outer limits
 * that keep a job's memory and time finite. DPO defaults are the SR paper's (beta 0.1, learning rate 1e-6 decaying
 * linearly to 1e-7, 16 pairs per step); SFT defaults suit the built-in tiny models (1e-4 with a cosine decay to 1e-5,
 * 16 examples per step, 3 epochs). With {@code lora} set, either kind trains LoRA adapters on the frozen base and
 * saves the model with them merged.
 *
 * @param schedule LINEAR, COSINE or CONSTANT (any case)
 * @param lossType DPO's loss: SIGMOID, IPO or HINGE (any case)
 * @param maxGradNorm the global gradient norm is clipped to this; 0 turns clipping off
 * @param checkpointEvery optimizer steps between training checkpoints; 0 writes none
 * @param rpoAlpha weight of the NLL of the chosen response added to the DPO loss
 * @param chat format prompts through the model's chat template, as the generator samples with {@code chat: true}
 * @param maxLength tokens per row at most; the model's context when left out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSettings(
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1")
        Double learningRate,

        @DecimalMin("0") @DecimalMax("1") Double minLearningRate,

        @Pattern(regexp = SCHEDULES, flags = Pattern.Flag.CASE_INSENSITIVE, message = "must be one of " + SCHEDULES)
        String schedule,

        @Min(0) @Max(1_000_000) Integer warmupSteps,

        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false)
        Double weightDecay,

        @DecimalMin("0") @DecimalMax("1000") Double maxGradNorm,

        @Min(1) @Max(1000) Integer epochs,
        @Min(1) @Max(MAX_ROWS_PER_STEP) Integer batchSize,
        @Min(1) @Max(MAX_ROWS_PER_STEP) Integer gradientAccumulationSteps,
        Long seed,
        @Min(0) @Max(1_000_000) Integer checkpointEvery,
        @Min(1) @Max(1000) Integer maxConsecutiveNonFiniteSteps,
        @Min(1) @Max(1_000_000) Integer snapshotEvery,

        @DecimalMin(value = "0", inclusive = false) @DecimalMax("100")
        Double beta,

        @Pattern(regexp = LOSS_TYPES, flags = Pattern.Flag.CASE_INSENSITIVE, message = "must be one of " + LOSS_TYPES)
        String lossType,

        @DecimalMin("0") @DecimalMax(value = "0.5", inclusive = false)
        Double labelSmoothing,

        @DecimalMin("0") @DecimalMax("100") Double rpoAlpha,
        Boolean lengthNormalized,
        Boolean chat,
        @Min(2) @Max(131_072) Integer maxLength,
        @Valid Lora lora) {

    /** Rows one optimizer step sees at most: batch size times accumulation steps. */
    public static final int MAX_ROWS_PER_STEP = 4096;

    /** The learning-rate schedules the trainer knows. */
    public static final String SCHEDULES = "LINEAR|COSINE|CONSTANT";

    /** The DPO losses the trainer knows. */
    public static final String LOSS_TYPES = "SIGMOID|IPO|HINGE";

    /** Every value left to the job kind's default. */
    public static TrainingSettings defaults() {
        return new TrainingSettings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /**
     * Train LoRA adapters instead of every weight; a field left out takes PEFT's usual value (rank 8, alpha 16,
     * dropout 0.05, q_proj and v_proj).
     *
     * @param targetModules Hugging Face module names: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lora(
            @Min(1) @Max(4096) Integer rank,

            @DecimalMin(value = "0", inclusive = false) @DecimalMax("100000")
            Double alpha,

            @DecimalMin("0") @DecimalMax(value = "1", inclusive = false)
            Double dropout,

            @Size(min = 1, max = 7)
            List<
                            @Size(max = 32)
                            @Pattern(
                                    regexp = MODULES,
                                    message = "has an unknown module '${validatedValue}': use " + MODULES)
                            String>
                    targetModules) {

        /** The projections adapters can be trained on, by their Hugging Face names. */
        public static final String MODULES = "q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj";
    }

    @JsonIgnore
    @AssertTrue(message = "times gradientAccumulationSteps must be at most " + MAX_ROWS_PER_STEP)
    public boolean isBatchSizeWithinRowsPerStep() {
        long batch = batchSize == null ? 1 : batchSize;
        long accumulation = gradientAccumulationSteps == null ? 1 : gradientAccumulationSteps;
        return batch * accumulation <= MAX_ROWS_PER_STEP;
    }

    /**
     * The field a constraint violation of these settings names, as a request spells it ({@code lora.rank},
     * {@code batchSize} for the rows-per-step rule).
     */
    public static String fieldOf(Path propertyPath) {
        return propertyPath
                .toString()
                .replace("batchSizeWithinRowsPerStep", "batchSize")
                // an element of a list is named by its list: lora.targetModules
                .replaceAll("\\[\\d+]\\.<list element>$", "");
    }

    /** Whether prompts go through the chat template; true unless told otherwise. */
    public boolean chatFormat() {
        return chat == null || chat;
    }

    /** These settings with {@code chat} set to the value given, unless they already say. */
    public TrainingSettings withChatUnlessSet(boolean value) {
        return chat != null
                ? this
                : new TrainingSettings(
                        learningRate,
                        minLearningRate,
                        schedule,
                        warmupSteps,
                        weightDecay,
                        maxGradNorm,
                        epochs,
                        batchSize,
                        gradientAccumulationSteps,
                        seed,
                        checkpointEvery,
                        maxConsecutiveNonFiniteSteps,
                        snapshotEvery,
                        beta,
                        lossType,
                        labelSmoothing,
                        rpoAlpha,
                        lengthNormalized,
                        value,
                        maxLength,
                        lora);
    }
}
