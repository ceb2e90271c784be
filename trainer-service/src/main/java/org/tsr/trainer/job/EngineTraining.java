package org.tsr.trainer.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.EngineOptions;
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
import org.tsr.trainer.export.JobExport;
import org.tsr.trainer.export.PreferenceRow;
import org.tsr.trainer.export.SftRow;

/**
 * One training job on the embedded engine, from its examples as text to the model written in its output folder,
 * knowing nothing of the store: the embedded executor runs it inside trainer-service, the process executor and the
 * kubernetes-job executor in a process of their own ({@code org.tsr.trainer.process.TrainingProcess}). It scores a
 * DPO dataset with the reference model when the pairs do not carry reference log-probabilities, attaches LoRA
 * adapters when the job asks for them, and resumes from the job's training checkpoint if an earlier attempt left one.
 */
public final class EngineTraining {

    /** What the caller hears of a job besides its steps. */
    public interface Events extends TrainingListener {

        void started(int totalSteps, int examples, String description);

        /** The reference log-probabilities the job computed, {chosen, rejected} per pair, before training on them. */
        default void referenceComputed(List<double[]> values) {}
    }

    /** A finished job: the engine's result and the number of examples it trained on. */
    public record Outcome(TrainingResult result, int examples) {}

    private final EngineOptions engineOptions;
    private final int referenceBatchPairs;

    public EngineTraining(EngineOptions engineOptions, int referenceBatchPairs) {
        this.engineOptions = engineOptions;
        this.referenceBatchPairs = referenceBatchPairs;
    }

    public Outcome sft(JobExport job, List<SftRow> rows, Events events) {
        TrainingSettings settings = job.settings();
        try (LanguageModel model = LanguageModel.load(job.baseModelPath(), engineOptions)) {
            attachLora(model, settings, TrainingKind.SFT);
            ExampleEncoder encoder = encoder(model, settings);
            List<PromptResponse> examples = rows.stream()
                    .map(row -> encoder.encode(row.prompt(), row.response()))
                    .toList();
            return run(job, model, new SftObjective(model), examples, events);
        }
    }

    public Outcome dpo(JobExport job, List<PreferenceRow> rows, Events events) {
        TrainingSettings settings = job.settings();
        List<double[]> reference = storedReference(rows);
        LanguageModel policy = null;
        try {
            if (reference == null) {
                if (job.referenceModelPath().equals(job.baseModelPath())) {
                    // SR and TSR train from the reference itself: score first, then train the same loaded weights
                    policy = LanguageModel.load(job.baseModelPath(), engineOptions);
                    reference = computeReference(policy, rows, settings);
                } else {
                    try (LanguageModel referenceModel = LanguageModel.load(job.referenceModelPath(), engineOptions)) {
                        reference = computeReference(referenceModel, rows, settings);
                    }
                }
                events.referenceComputed(reference);
            }
            if (policy == null) {
                policy = LanguageModel.load(job.baseModelPath(), engineOptions);
            }
            // after the reference is scored: the reference of a LoRA run is the base (scoring also switches adapters
            // off)
            attachLora(policy, settings, TrainingKind.DPO);
            List<PreferenceExample> encoded = encodePairs(policy, rows, settings);
            List<PreferenceExample> examples = new ArrayList<>(encoded.size());
            for (int i = 0; i < encoded.size(); i++) {
                examples.add(encoded.get(i)
                        .withReference(reference.get(i)[0], reference.get(i)[1]));
            }
            return run(job, policy, new DpoObjective(policy, EngineTrainingOptions.dpo(settings)), examples, events);
        } finally {
            if (policy != null) {
                policy.close();
            }
        }
    }

    /** The reference log-probabilities every row carries, or null if any row lacks them. */
    static List<double[]> storedReference(List<PreferenceRow> rows) {
        List<double[]> stored = new ArrayList<>(rows.size());
        for (PreferenceRow row : rows) {
            if (!row.hasReference()) {
                return null;
            }
            stored.add(new double[] {row.referenceChosenLogp(), row.referenceRejectedLogp()});
        }
        return stored;
    }

    private List<double[]> computeReference(
            LanguageModel reference, List<PreferenceRow> rows, TrainingSettings settings) {
        return ReferenceLogProbs.compute(reference, encodePairs(reference, rows, settings), referenceBatchPairs)
                .stream()
                .map(pair -> new double[] {pair.referenceChosenLogp(), pair.referenceRejectedLogp()})
                .toList();
    }

    private <T> Outcome run(
            JobExport job, LanguageModel model, Objective<T> objective, List<T> examples, Events events) {
        TrainingOptions options = EngineTrainingOptions.training(job.settings(), job.kind());
        int totalSteps = options.totalSteps(examples.size());
        events.started(
                totalSteps,
                examples.size(),
                job.kind() + " on " + examples.size() + " examples, " + totalSteps + " steps"
                        + model.network()
                                .lora()
                                .map(lora -> ", LoRA rank " + lora.rank() + " on "
                                        + lora.targetModules().stream()
                                                .map(LinearModule::hfName)
                                                .toList())
                                .orElse(""));
        TrainingResult result =
                new Trainer<>(model, objective, options).train(examples, events, job.trainingCheckpointPath());
        deleteRecursively(job.outputPath());
        model.save(job.outputPath());
        return new Outcome(result, examples.size());
    }

    private static List<PreferenceExample> encodePairs(
            LanguageModel model, List<PreferenceRow> rows, TrainingSettings settings) {
        ExampleEncoder encoder = encoder(model, settings);
        return rows.stream()
                .map(row -> encoder.encodePair(row.prompt(), row.chosen(), row.rejected()))
                .toList();
    }

    private static ExampleEncoder encoder(LanguageModel model, TrainingSettings settings) {
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
