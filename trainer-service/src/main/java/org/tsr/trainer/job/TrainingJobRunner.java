package org.tsr.trainer.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tsr.contract.training.DatasetSpec;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.training.ExampleEncoder;
import org.tsr.engine.training.InvalidTrainingOptionException;
import org.tsr.engine.training.Objective;
import org.tsr.engine.training.Trainer;
import org.tsr.engine.training.TrainingListener;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.TrainingResult;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;
import org.tsr.engine.training.sft.SftObjective;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.pair.PreferencePairRepository;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.storage.CheckpointStorage;

/**
 * Runs one training job on the embedded engine: loads the job's generations and data, computes and stores the
 * reference log-probabilities a DPO dataset still lacks, attaches LoRA adapters when the job asks for them, trains (resuming from the job's training checkpoint if an
 * earlier attempt left one), and publishes the model. Registering it is a separate step, {@link #register}, that
 * runs in the transaction completing the work unit.
 */
@Component
public class TrainingJobRunner {

    private final TrainingJobRepository jobs;
    private final ModelGenerationRepository generations;
    private final PreferencePairRepository pairs;
    private final TrainingData data;
    private final CheckpointStorage storage;
    private final JobProgress progress;
    private final TrainMeters meters;
    private final TransactionTemplate transactions;
    private final TrainerProperties properties;
    private final TrainableGenerations trainable;

    TrainingJobRunner(
            TrainingJobRepository jobs,
            ModelGenerationRepository generations,
            PreferencePairRepository pairs,
            TrainingData data,
            CheckpointStorage storage,
            JobProgress progress,
            TrainMeters meters,
            TransactionTemplate transactions,
            TrainerProperties properties,
            TrainableGenerations trainable) {
        this.trainable = trainable;
        this.jobs = jobs;
        this.generations = generations;
        this.pairs = pairs;
        this.data = data;
        this.storage = storage;
        this.progress = progress;
        this.meters = meters;
        this.transactions = transactions;
        this.properties = properties;
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
            List<TrainingData.TextExample> texts = data.examples(spec);
            try (LanguageModel model = LanguageModel.load(baseDir, properties.engineOptions())) {
                attachLora(model, settings, kind);
                ExampleEncoder encoder = encoder(model, settings);
                List<PromptResponse> examples = texts.stream()
                        .map(text -> encoder.encode(text.prompt(), text.response()))
                        .toList();
                return run(
                        job,
                        model,
                        new SftObjective(model),
                        examples,
                        EngineTrainingOptions.training(settings, kind),
                        listener,
                        work,
                        whileHeld);
            }
        }
        List<TrainingData.TextPair> texts = data.pairs(spec);
        Path referenceDir = job.getReferenceGenerationId().equals(job.getBaseGenerationId())
                ? baseDir
                : trainable.folder(job.getReferenceGenerationId(), "referenceGenerationId");
        LanguageModel policy = null;
        try {
            List<double[]> reference = storedReference(texts);
            if (reference == null) {
                if (referenceDir.equals(baseDir)) {
                    // SR and TSR train from the reference itself: score first, then train the same loaded weights
                    policy = LanguageModel.load(baseDir, properties.engineOptions());
                    reference = computeReference(policy, texts, settings);
                } else {
                    try (LanguageModel referenceModel = LanguageModel.load(referenceDir, properties.engineOptions())) {
                        reference = computeReference(referenceModel, texts, settings);
                    }
                }
            }
            if (policy == null) {
                policy = LanguageModel.load(baseDir, properties.engineOptions());
            }
            // after the reference is scored: the reference of a LoRA run is the base (scoring also switches adapters
            // off)
            attachLora(policy, settings, kind);
            List<PreferenceExample> examples = encodePairs(policy, texts, settings);
            List<PreferenceExample> withReference = new ArrayList<>(examples.size());
            for (int i = 0; i < examples.size(); i++) {
                withReference.add(examples.get(i)
                        .withReference(reference.get(i)[0], reference.get(i)[1]));
            }
            return run(
                    job,
                    policy,
                    new DpoObjective(policy, EngineTrainingOptions.dpo(settings)),
                    withReference,
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
            List<T> examples,
            TrainingOptions options,
            TrainingListener listener,
            Path work,
            Consumer<Runnable> whileHeld) {
        int totalSteps = options.totalSteps(examples.size());
        progress.start(
                job.getId(),
                totalSteps,
                job.getKind() + " on " + examples.size() + " examples, " + totalSteps + " steps"
                        + model.network()
                                .lora()
                                .map(lora -> ", LoRA rank " + lora.rank() + " on "
                                        + lora.targetModules().stream()
                                                .map(LinearModule::hfName)
                                                .toList())
                                .orElse(""));
        TrainingResult result =
                new Trainer<>(model, objective, options).train(examples, listener, work.resolve("checkpoint"));
        Path modelDir = work.resolve("model");
        deleteRecursively(modelDir);
        model.save(modelDir);
        String[] uri = new String[1];
        whileHeld.accept(() -> uri[0] = storage.publish(job.getId(), modelDir));
        String metrics = JobJson.write(JobProgress.summary(result.last(), result.resumedFromStep(), examples.size()));
        return new TrainedModel(job.getId(), uri[0], result.steps(), metrics);
    }

    /**
     * Registers the trained model as a READY generation (the one registered ahead for the job, or a new child of
     * the base) with the job's metrics, and marks the job succeeded. Runs inside the unit's completing
     * transaction; the job's scratch files go once it commits.
     */
    public void register(TrainedModel trained) {
        TrainingJob job = jobs.findById(trained.jobId()).orElseThrow();
        ModelGeneration output;
        if (job.getOutputGenerationId() != null) {
            output = generations.findById(job.getOutputGenerationId()).orElseThrow();
        } else {
            ModelGeneration base =
                    generations.findById(job.getBaseGenerationId()).orElseThrow();
            GenerationKind kind = job.getKind() == TrainingKind.SFT ? GenerationKind.SFT : GenerationKind.POLICY;
            String name = base.getName() + "/" + job.getKind().name().toLowerCase(Locale.ROOT) + "-job-" + job.getId();
            output = generations.save(
                    ModelGeneration.trainedFrom(base, name, kind, job.getRunId(), job.getIterationId()));
        }
        output.markReady(trained.checkpointUri(), CheckpointFormat.HF_SAFETENSORS);
        output.recordMetrics(trained.metricsJson());
        generations.save(output);
        job.progress(trained.steps(), trained.metricsJson());
        job.appendLog("registered as model generation " + output.getId() + " at " + trained.checkpointUri() + "\n");
        job.succeed(output.getId());
        jobs.save(job);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    storage.release(trained.jobId());
                }
            });
        }
    }

    /** Fresh adapters (A by the run's seed, B zero); a training checkpoint of the job overwrites them. */
    private static void attachLora(LanguageModel model, TrainingSettings settings, TrainingKind kind) {
        EngineTrainingOptions.lora(settings)
                .ifPresent(lora -> lora.attachTo(
                        model, EngineTrainingOptions.training(settings, kind).seed()));
    }

    private ExampleEncoder encoder(LanguageModel model, TrainingSettings settings) {
        int maxLength = settings.maxLength() == null
                ? model.config().contextLength()
                : Math.min(settings.maxLength(), model.config().contextLength());
        try {
            return new ExampleEncoder(model, settings.chatFormat(), maxLength);
        } catch (InvalidTrainingOptionException e) {
            throw InvalidTrainingJobException.invalid("hyperparameters." + e.field(), e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw InvalidTrainingJobException.invalid("hyperparameters.chat", e.getMessage(), e);
        }
    }

    private List<PreferenceExample> encodePairs(
            LanguageModel model, List<TrainingData.TextPair> texts, TrainingSettings settings) {
        ExampleEncoder encoder = encoder(model, settings);
        return texts.stream()
                .map(text -> encoder.encodePair(text.prompt(), text.chosen(), text.rejected()))
                .toList();
    }

    /** The reference log-probabilities stored with every pair, or null if any pair lacks them. */
    private static List<double[]> storedReference(List<TrainingData.TextPair> texts) {
        List<double[]> stored = new ArrayList<>(texts.size());
        for (TrainingData.TextPair text : texts) {
            PreferencePair row = text.row();
            if (row.getReferenceChosenLogp() == null || row.getReferenceRejectedLogp() == null) {
                return null;
            }
            stored.add(new double[] {row.getReferenceChosenLogp(), row.getReferenceRejectedLogp()});
        }
        return stored;
    }

    /** Scores every pair with the reference and stores the values with the pairs, once per dataset. */
    private List<double[]> computeReference(
            LanguageModel reference, List<TrainingData.TextPair> texts, TrainingSettings settings) {
        List<PreferenceExample> scored = ReferenceLogProbs.compute(
                reference, encodePairs(reference, texts, settings), properties.referenceBatchPairs());
        List<double[]> values = scored.stream()
                .map(pair -> new double[] {pair.referenceChosenLogp(), pair.referenceRejectedLogp()})
                .toList();
        transactions.executeWithoutResult(status -> {
            List<PreferencePair> rows = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                PreferencePair row = pairs.findById(texts.get(i).row().getId()).orElseThrow();
                row.recordReferenceLogps(values.get(i)[0], values.get(i)[1]);
                rows.add(row);
            }
            pairs.saveAll(rows);
        });
        return values;
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
