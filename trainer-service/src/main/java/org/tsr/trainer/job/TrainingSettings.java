package org.tsr.trainer.job;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.training.InvalidTrainingOptionException;
import org.tsr.engine.training.LearningRateSchedule;
import org.tsr.engine.training.LoraOptions;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.dpo.DpoLossType;
import org.tsr.engine.training.dpo.DpoOptions;
import org.tsr.store.training.TrainingKind;

/**
 * A job's hyperparameters as its JSON names them; anything left out takes the default of the job's kind. DPO
 * defaults are the SR paper's (beta 0.1, learning rate 1e-6 decaying linearly to 1e-7, 16 pairs per step); SFT
 * defaults suit the built-in tiny models (1e-4 with a cosine decay to 1e-5, 16 examples per step, 3 epochs). With
 * {@code lora} set, either kind trains LoRA adapters on the frozen base and saves the model with them merged.
 *
 * @param chat format prompts through the model's chat template, as the generator samples with {@code chat: true}
 * @param maxLength tokens per row at most; the model's context when left out
 */
public record TrainingSettings(
        Double learningRate,
        Double minLearningRate,
        String schedule,
        Integer warmupSteps,
        Double weightDecay,
        Double maxGradNorm,
        Integer epochs,
        Integer batchSize,
        Integer gradientAccumulationSteps,
        Long seed,
        Integer checkpointEvery,
        Integer maxConsecutiveNonFiniteSteps,
        Integer snapshotEvery,
        Double beta,
        String lossType,
        Double labelSmoothing,
        Double rpoAlpha,
        Boolean lengthNormalized,
        Boolean chat,
        Integer maxLength,
        Lora lora) {

    /**
     * Train LoRA adapters instead of every weight; a field left out takes PEFT's usual value (rank 8, alpha 16,
     * dropout 0.05, q_proj and v_proj).
     *
     * @param targetModules Hugging Face module names: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj
     */
    public record Lora(Integer rank, Double alpha, Double dropout, List<String> targetModules) {

        LoraOptions options() {
            LoraOptions defaults = LoraOptions.defaults();
            return LoraOptions.of(
                    or(rank, defaults.rank()),
                    or(alpha, defaults.alpha()),
                    or(dropout, defaults.dropout()),
                    targetModules == null
                            ? defaults.targetModules().stream()
                                    .map(LinearModule::hfName)
                                    .toList()
                            : targetModules);
        }
    }

    public TrainingOptions options(TrainingKind kind) {
        boolean dpo = kind == TrainingKind.DPO;
        return new TrainingOptions(
                or(learningRate, dpo ? 1e-6 : 1e-4),
                or(minLearningRate, Math.min(or(learningRate, dpo ? 1e-6 : 1e-4), dpo ? 1e-7 : 1e-5)),
                parse(LearningRateSchedule.Kind.class, "schedule", schedule, dpo ? "LINEAR" : "COSINE"),
                or(warmupSteps, 0),
                or(weightDecay, 0.0),
                0.9,
                0.999,
                1e-8,
                or(maxGradNorm, 1.0),
                or(epochs, dpo ? 1 : 3),
                or(batchSize, 16),
                or(gradientAccumulationSteps, 1),
                or(seed, 42L),
                or(maxConsecutiveNonFiniteSteps, 2),
                or(checkpointEvery, 50),
                or(snapshotEvery, 1));
    }

    public DpoOptions dpoOptions() {
        return new DpoOptions(
                or(beta, 0.1),
                parse(DpoLossType.class, "lossType", lossType, "SIGMOID"),
                or(labelSmoothing, 0.0),
                or(rpoAlpha, 0.0),
                or(lengthNormalized, false));
    }

    /** The LoRA adapters to train, or empty for full-parameter training. */
    public Optional<LoraOptions> loraOptions() {
        return lora == null ? Optional.empty() : Optional.of(lora.options());
    }

    public boolean chatFormat() {
        return or(chat, true);
    }

    /** Checks every value the job's kind uses, naming the first one out of range. */
    public void validate(TrainingKind kind) {
        options(kind);
        if (kind == TrainingKind.DPO) {
            dpoOptions();
        }
        loraOptions();
        if (maxLength != null && maxLength < 2) {
            throw new InvalidTrainingOptionException("maxLength", "maxLength must be >= 2, got " + maxLength);
        }
    }

    private static <T> T or(T value, T otherwise) {
        return value == null ? otherwise : value;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value, String otherwise) {
        String name = value == null ? otherwise : value;
        try {
            return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidTrainingOptionException(
                    field,
                    field + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got " + value);
        }
    }
}
