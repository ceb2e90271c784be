package org.tsr.trainer.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.training.InvalidTrainingOptionException;
import org.tsr.engine.training.LearningRateSchedule;
import org.tsr.engine.training.LoraOptions;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.dpo.DpoLossType;
import org.tsr.engine.training.dpo.DpoOptions;

/** A job's {@link TrainingSettings} as the engine's options, with the defaults of the job's kind filled in. */
public final class EngineTrainingOptions {

    private EngineTrainingOptions() {}

    public static TrainingOptions training(TrainingSettings settings, TrainingKind kind) {
        boolean dpo = kind == TrainingKind.DPO;
        double learningRate = or(settings.learningRate(), dpo ? 1e-6 : 1e-4);
        return TrainingOptions.builder()
                .learningRate(learningRate, or(settings.minLearningRate(), Math.min(learningRate, dpo ? 1e-7 : 1e-5)))
                .schedule(
                        parse(
                                LearningRateSchedule.Kind.class,
                                "schedule",
                                settings.schedule(),
                                dpo ? "LINEAR" : "COSINE"),
                        or(settings.warmupSteps(), 0))
                .regularisation(or(settings.weightDecay(), 0.0), or(settings.maxGradNorm(), 1.0))
                .batches(
                        or(settings.epochs(), dpo ? 1 : 3),
                        or(settings.batchSize(), 16),
                        or(settings.gradientAccumulationSteps(), 1))
                .seed(or(settings.seed(), 42L))
                .maxConsecutiveNonFiniteSteps(or(settings.maxConsecutiveNonFiniteSteps(), 2))
                .checkpointEvery(or(settings.checkpointEvery(), 50))
                .snapshotEvery(or(settings.snapshotEvery(), 1))
                .build();
    }

    public static DpoOptions dpo(TrainingSettings settings) {
        return new DpoOptions(
                or(settings.beta(), 0.1),
                parse(DpoLossType.class, "lossType", settings.lossType(), "SIGMOID"),
                or(settings.labelSmoothing(), 0.0),
                or(settings.rpoAlpha(), 0.0),
                or(settings.lengthNormalized(), false));
    }

    /** The LoRA adapters to train, or empty for full-parameter training. */
    public static Optional<LoraOptions> lora(TrainingSettings settings) {
        TrainingSettings.Lora lora = settings.lora();
        if (lora == null) {
            return Optional.empty();
        }
        LoraOptions defaults = LoraOptions.defaults();
        return Optional.of(LoraOptions.of(
                or(lora.rank(), defaults.rank()),
                or(lora.alpha(), defaults.alpha()),
                or(lora.dropout(), defaults.dropout()),
                lora.targetModules() == null
                        ? defaults.targetModules().stream()
                                .map(LinearModule::hfName)
                                .toList()
                        : lora.targetModules()));
    }

    /** Checks every value the job's kind uses as the engine sees it, naming the first one it refuses. */
    public static void validate(TrainingSettings settings, TrainingKind kind) {
        training(settings, kind);
        if (kind == TrainingKind.DPO) {
            dpo(settings);
        }
        lora(settings);
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
                    field, field + " must be one of " + Arrays.toString(type.getEnumConstants()) + ", got " + value);
        }
    }
}
