package org.tsr.trainer.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import org.tsr.contract.training.DatasetSpec;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.training.Objective;
import org.tsr.engine.training.Trainer;
import org.tsr.engine.training.TrainingListener;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.TrainingResult;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.sft.SftObjective;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.training.TrainingJob;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.storage.CheckpointStorage;

/**
 * Runs one training job on the embedded engine: loads the job's generations, has its examples prepared ({@link
 * TrainingExamples}, which scores a DPO dataset with the reference model once), attaches LoRA adapters when the job
 * asks for them, trains (resuming from the job's training checkpoint if an earlier attempt left one), and publishes
 * the model. Entering it into the lineage is {@link TrainedModelRegistration}'s, in the transaction completing the
 * work unit.
 */
@Component
public class TrainingJobRunner {

    private final ModelGenerationRepository generations;
    private final TrainingExamples examples;
    private final CheckpointStorage storage;
    private final JobProgress progress;
    private final TrainMeters meters;
    private final TrainerProperties properties;
    private final TrainableGenerations trainable;

    TrainingJobRunner(
            ModelGenerationRepository generations,
            TrainingExamples examples,
            CheckpointStorage storage,
            JobProgress progress,
            TrainMeters meters,
            TrainerProperties properties,
            TrainableGenerations trainable) {
        this.generations = generations;
        this.examples = examples;
        this.storage = storage;
        this.progress = progress;
        this.meters = meters;
        this.properties = properties;
        this.trainable = trainable;
    }

    /** The role tag of the model a job trains: its pre-registered output's kind, else the job's kind. */
    public String modelRole(TrainingJob job) {
        if (job.getOutputGenerationId() != null) {
            return generations
                    .findById(job.getOutputGenerationId())
                    .map(generation -> generation.getKind().name().toLowerCase(Locale.ROOT))
                    .orElse("unknown");
        }
        return job.getKind() == TrainingKind.SFT ? "sft" : "policy";
    }

    /**
     * Trains the job's model and publishes it.
     *
     * @param whileHeld runs the publication only while this worker still holds the job's unit, so a worker that lost
     *     its lease never replaces the model of the one that took over
     * @throws InvalidTrainingJobException if the job cannot be trained as written
     */
    public TrainedModel train(TrainingJob job, Consumer<Runnable> whileHeld) {
        TrainingKind kind = job.getKind();
        TrainingSettings settings = JobJson.settings(job.getHyperparameters(), kind);
        DatasetSpec spec = JobJson.dataset(job.getDataset(), kind);
        Path baseDir = trainable.folder(job.getBaseGenerationId(), "baseGenerationId");
        Path work = storage.workDir(job.getId());
        String role = modelRole(job);
        TrainingListener listener = progress.listener(job.getId(), metrics -> meters.step(kind, role, metrics));
        if (kind == TrainingKind.SFT) {
            try (LanguageModel model = LanguageModel.load(baseDir, properties.engineOptions())) {
                attachLora(model, settings, kind);
                return run(
                        job,
                        model,
                        new SftObjective(model),
                        examples.sft(model, spec, settings),
                        EngineTrainingOptions.training(settings, kind),
                        listener,
                        work,
                        whileHeld);
            }
        }
        List<TrainingData.TextPair> texts = examples.pairTexts(spec);
        Path referenceDir = job.getReferenceGenerationId().equals(job.getBaseGenerationId())
                ? baseDir
                : trainable.folder(job.getReferenceGenerationId(), "referenceGenerationId");
        LanguageModel policy = null;
        try {
            List<double[]> reference = TrainingExamples.storedReference(texts);
            if (reference == null) {
                if (referenceDir.equals(baseDir)) {
                    // SR and TSR train from the reference itself: score first, then train the same loaded weights
                    policy = LanguageModel.load(baseDir, properties.engineOptions());
                    reference = examples.computeReference(policy, texts, settings);
                } else {
                    try (LanguageModel referenceModel = LanguageModel.load(referenceDir, properties.engineOptions())) {
                        reference = examples.computeReference(referenceModel, texts, settings);
                    }
                }
            }
            if (policy == null) {
                policy = LanguageModel.load(baseDir, properties.engineOptions());
            }
            // after the reference is scored: the reference of a LoRA run is the base (scoring also switches adapters
            // off)
            attachLora(policy, settings, kind);
            return run(
                    job,
                    policy,
                    new DpoObjective(policy, EngineTrainingOptions.dpo(settings)),
                    examples.dpo(policy, texts, reference, settings),
                    EngineTrainingOptions.training(settings, kind),
                    listener,
                    work,
                    whileHeld);
        } finally {
            if (policy != null) {
                policy.close();
            }
        }
    }

    private <T> TrainedModel run(
            TrainingJob job,
            LanguageModel model,
            Objective<T> objective,
            List<T> trainingExamples,
            TrainingOptions options,
            TrainingListener listener,
            Path work,
            Consumer<Runnable> whileHeld) {
        int totalSteps = options.totalSteps(trainingExamples.size());
        progress.start(
                job.getId(),
                totalSteps,
                job.getKind() + " on " + trainingExamples.size() + " examples, " + totalSteps + " steps"
                        + model.network()
                                .lora()
                                .map(lora -> ", LoRA rank " + lora.rank() + " on "
                                        + lora.targetModules().stream()
                                                .map(LinearModule::hfName)
                                                .toList())
                                .orElse(""));
        TrainingResult result =
                new Trainer<>(model, objective, options).train(trainingExamples, listener, work.resolve("checkpoint"));
        Path modelDir = work.resolve("model");
        deleteRecursively(modelDir);
        model.save(modelDir);
        String[] uri = new String[1];
        whileHeld.accept(() -> uri[0] = storage.publish(job.getId(), modelDir));
        String metrics =
                JobJson.write(JobProgress.summary(result.last(), result.resumedFromStep(), trainingExamples.size()));
        return new TrainedModel(job.getId(), uri[0], result.steps(), metrics);
    }

    /** Fresh adapters (A by the run's seed, B zero); a training checkpoint of the job overwrites them. */
    private static void attachLora(LanguageModel model, TrainingSettings settings, TrainingKind kind) {
        EngineTrainingOptions.lora(settings)
                .ifPresent(lora -> lora.attachTo(
                        model, EngineTrainingOptions.training(settings, kind).seed()));
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + path, e);
        }
    }
}
