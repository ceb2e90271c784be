package org.tsr.trainer.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.training.InvalidTrainingOptionException;
import org.tsr.engine.training.LearningRateSchedule;
import org.tsr.engine.training.LoraOptions;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.dpo.DpoOptions;

/**
 * A job's {@link TrainingSettings} as keyword arguments of TRL's {@code DPOConfig} or {@code SFTConfig} (TRL 1.9.0, the
 * version deploy/trainer pins), with the defaults of the job's kind taken from {@link EngineTrainingOptions} so the TRL
 * trainer and the engine start from the same numbers. The entry {@code peft} is not a config argument: it holds
 * PEFT's {@code LoraConfig} arguments when the job trains LoRA adapters.
 *
 * <p>What TRL does differently, and is accepted as close enough:
 *
 * <ul>
 *   <li>transformers' warm-up starts at 0 and its decay reaches the minimum one step after the last, where the engine
 *       starts at peak / warmupSteps and reaches the minimum on the last step. A linear decay to a non-zero minimum is
 *       transformers' {@code polynomial} schedule with power 1, a cosine one {@code cosine_with_min_lr}.
 *   <li>Rows longer than {@code max_length}: TRL keeps the start of prompt and response together (and drops a row
 *       whose prompt alone fills it), the engine keeps the end of the prompt and the start of the response. Rows that
 *       fit are the same.
 *   <li>TRL has no guard that rolls back a non-finite step; {@code maxConsecutiveNonFiniteSteps} and
 *       {@code snapshotEvery} are refused when a job sets them and otherwise have no counterpart.
 * </ul>
 *
 * <p>What TRL cannot train is refused, naming the setting, rather than trained as something else: label smoothing
 * (TRL's sigmoid loss has none; its {@code robust} loss is another estimator), IPO on summed log-probabilities (TRL's
 * IPO always compares per-token means), a length-normalised hinge loss, and seeds outside numpy's range.
 */
public final class TrlArguments {

    /** The TRL loss that adds the chosen response's token-mean NLL, as the engine's rpoAlpha does. */
    private static final String NLL_LOSS = "sft";

    /** numpy's seeds, which transformers' set_seed passes it, are unsigned 32-bit integers. */
    private static final long MAX_SEED = 0xFFFF_FFFFL;

    private TrlArguments() {}

    /**
     * @throws InvalidTrainingOptionException naming the setting TRL cannot train as the engine would, or a value out
     *     of the engine's range
     */
    public static Map<String, Object> of(TrainingKind kind, TrainingSettings settings) {
        TrainingOptions training = EngineTrainingOptions.training(settings, kind);
        refuseEngineOnly(settings);
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("learning_rate", training.learningRate());
        schedule(training, arguments);
        arguments.put("warmup_steps", training.warmupSteps());
        arguments.put("weight_decay", training.weightDecay());
        arguments.put("adam_beta1", training.adamBeta1());
        arguments.put("adam_beta2", training.adamBeta2());
        arguments.put("adam_epsilon", training.adamEpsilon());
        // 0 turns clipping off in transformers as in the engine
        arguments.put("max_grad_norm", training.maxGradNorm());
        arguments.put("num_train_epochs", training.epochs());
        arguments.put("per_device_train_batch_size", training.batchSize());
        arguments.put("gradient_accumulation_steps", training.gradientAccumulationSteps());
        if (training.seed() < 0 || training.seed() > MAX_SEED) {
            throw refused(
                    "seed", "seed: TRL passes it to numpy, which takes [0, " + MAX_SEED + "]; got " + training.seed());
        }
        arguments.put("seed", training.seed());
        if (training.checkpointEvery() > 0) {
            arguments.put("save_strategy", "steps");
            arguments.put("save_steps", training.checkpointEvery());
        } else {
            arguments.put("save_strategy", "no");
        }
        if (settings.maxLength() != null) {
            // left out, the TRL trainer uses the model's context, as the engine does
            arguments.put("max_length", settings.maxLength());
        }
        Optional<LoraOptions> lora = EngineTrainingOptions.lora(settings);
        if (kind == TrainingKind.DPO) {
            dpo(EngineTrainingOptions.dpo(settings), arguments);
            // TRL turns every dropout off for DPO, LoRA's included; the engine drops adapter inputs in training passes
            lora.filter(options -> options.dropout() > 0).ifPresent(options -> arguments.put("disable_dropout", false));
        } else {
            // the engine's SFT loss is the response's tokens only
            arguments.put("completion_only_loss", true);
        }
        lora.ifPresent(options -> arguments.put("peft", peft(settings.lora(), options)));
        return arguments;
    }

    private static void schedule(TrainingOptions training, Map<String, Object> arguments) {
        double peak = training.learningRate();
        double min = training.minLearningRate();
        if (training.schedule() == LearningRateSchedule.Kind.CONSTANT || min == peak) {
            // transformers' plain "constant" would skip the warm-up
            arguments.put("lr_scheduler_type", "constant_with_warmup");
        } else if (min == 0) {
            arguments.put(
                    "lr_scheduler_type", training.schedule() == LearningRateSchedule.Kind.LINEAR ? "linear" : "cosine");
        } else if (training.schedule() == LearningRateSchedule.Kind.LINEAR) {
            arguments.put("lr_scheduler_type", "polynomial");
            arguments.put("lr_scheduler_kwargs", Map.of("lr_end", min, "power", 1.0));
        } else {
            arguments.put("lr_scheduler_type", "cosine_with_min_lr");
            arguments.put("lr_scheduler_kwargs", Map.of("min_lr", min));
        }
    }

    private static void dpo(DpoOptions dpo, Map<String, Object> arguments) {
        if (dpo.labelSmoothing() > 0) {
            throw refused(
                    "labelSmoothing",
                    "labelSmoothing: TRL's sigmoid loss has no label smoothing (its robust loss is a different"
                            + " estimator); leave it out to train with TRL");
        }
        String loss = switch (dpo.lossType()) {
            case SIGMOID -> dpo.lengthNormalized() ? "sigmoid_norm" : "sigmoid";
            case IPO -> {
                if (!dpo.lengthNormalized()) {
                    throw refused(
                            "lengthNormalized",
                            "lengthNormalized: TRL's ipo loss always compares per-token means; set"
                                    + " lengthNormalized true to train IPO with TRL");
                }
                yield "ipo";
            }
            case HINGE -> {
                if (dpo.lengthNormalized()) {
                    throw refused(
                            "lengthNormalized",
                            "lengthNormalized: TRL has no length-normalised hinge loss; leave it out to train"
                                    + " HINGE with TRL");
                }
                yield "hinge";
            }
        };
        arguments.put("beta", dpo.beta());
        if (dpo.rpoAlpha() > 0) {
            arguments.put("loss_type", List.of(loss, NLL_LOSS));
            arguments.put("loss_weights", List.of(1.0, dpo.rpoAlpha()));
        } else {
            arguments.put("loss_type", List.of(loss));
        }
    }

    private static Map<String, Object> peft(TrainingSettings.Lora asked, LoraOptions options) {
        Map<String, Object> peft = new LinkedHashMap<>();
        peft.put("r", options.rank());
        peft.put("lora_alpha", options.alpha());
        peft.put("lora_dropout", options.dropout());
        // the modules as the job named them, else the engine's defaults in their Hugging Face names, in a stable order
        peft.put(
                "target_modules",
                asked.targetModules() != null
                        ? asked.targetModules()
                        : options.targetModules().stream()
                                .sorted()
                                .map(LinearModule::hfName)
                                .toList());
        return peft;
    }

    private static void refuseEngineOnly(TrainingSettings settings) {
        if (settings.maxConsecutiveNonFiniteSteps() != null) {
            throw refused(
                    "maxConsecutiveNonFiniteSteps",
                    "maxConsecutiveNonFiniteSteps: TRL has no guard that rolls back non-finite steps; leave it out to"
                            + " train with TRL");
        }
        if (settings.snapshotEvery() != null) {
            throw refused(
                    "snapshotEvery",
                    "snapshotEvery: TRL keeps no in-memory snapshots to roll back to; leave it out to train with TRL");
        }
    }

    private static InvalidTrainingOptionException refused(String field, String message) {
        return new InvalidTrainingOptionException(field, message);
    }
}
