package org.tsr.trainer.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tsr.contract.training.DatasetSpec;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.training.InvalidTrainingOptionException;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.pair.PreferencePairRepository;
import org.tsr.store.training.TrainingJob;
import org.tsr.trainer.export.ExportFormatException;
import org.tsr.trainer.export.ExportedExamples;
import org.tsr.trainer.export.JobExport;
import org.tsr.trainer.export.PreferenceRow;
import org.tsr.trainer.export.SftRow;
import org.tsr.trainer.storage.CheckpointStorage;

/**
 * The store's side of a training job, whichever executor trains it: reads the job into a {@link PreparedJob}
 * (settings checked, starting and reference folders found, examples as text), stores reference log-probabilities a
 * trainer computed with the pairs so a later attempt reuses them, and publishes the finished model.
 */
@Component
public class PreparedJobs {

    /** Where the publication of a model trained as a LoRA adapter keeps the adapter folder. */
    public static final String ADAPTER_FOLDER = "adapter";

    private final ModelGenerationRepository generations;
    private final TrainingData data;
    private final PreferencePairRepository pairs;
    private final TransactionTemplate transactions;
    private final CheckpointStorage storage;
    private final TrainableGenerations trainable;

    PreparedJobs(
            ModelGenerationRepository generations,
            TrainingData data,
            PreferencePairRepository pairs,
            TransactionTemplate transactions,
            CheckpointStorage storage,
            TrainableGenerations trainable) {
        this.generations = generations;
        this.data = data;
        this.pairs = pairs;
        this.transactions = transactions;
        this.storage = storage;
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
     * Reads the job as its executor will train it. A job for the kubeflow executor, which trains with TRL, also gets
     * its settings as TRL's arguments; one TRL cannot train as the engine would is refused here, naming the setting.
     *
     * @throws InvalidTrainingJobException if the job cannot be trained as written
     */
    public PreparedJob prepare(TrainingJob job, TrainerSettings trainer) {
        TrainingKind kind = job.getKind();
        TrainingSettings settings = JobJson.settings(job.getHyperparameters(), kind);
        Map<String, Object> trl = trainer.executor() == TrainingExecutor.KUBEFLOW ? trlArguments(kind, settings) : null;
        DatasetSpec spec = JobJson.dataset(job.getDataset(), kind);
        Path base = trainable.folder(job.getBaseGenerationId(), "baseGenerationId");
        Path work = storage.workDir(job.getId());
        Path reference = null;
        List<PreferenceRow> pairRows = null;
        List<Long> pairIds = null;
        List<SftRow> sftRows = null;
        if (kind == TrainingKind.SFT) {
            sftRows = data.examples(spec).stream()
                    .map(text -> new SftRow(text.prompt(), text.response()))
                    .toList();
        } else {
            reference = job.getReferenceGenerationId().equals(job.getBaseGenerationId())
                    ? base
                    : trainable.folder(job.getReferenceGenerationId(), "referenceGenerationId");
            List<TrainingData.TextPair> texts = data.pairs(spec);
            pairRows = texts.stream()
                    .map(text -> new PreferenceRow(
                            text.prompt(),
                            text.chosen(),
                            text.rejected(),
                            text.row().getReferenceChosenLogp(),
                            text.row().getReferenceRejectedLogp()))
                    .toList();
            pairIds = texts.stream().map(text -> text.row().getId()).toList();
        }
        JobExport export = new JobExport(
                JobExport.VERSION,
                job.getId(),
                kind,
                settings,
                trainer,
                base.toAbsolutePath().toString(),
                reference == null ? null : reference.toAbsolutePath().toString(),
                JobExport.EXAMPLES_FILE,
                work.resolve("model").toAbsolutePath().toString(),
                work.resolve("checkpoint").toAbsolutePath().toString(),
                trl);
        return new PreparedJob(export, modelRole(job), pairRows, pairIds, sftRows);
    }

    private static Map<String, Object> trlArguments(TrainingKind kind, TrainingSettings settings) {
        try {
            return TrlArguments.of(kind, settings);
        } catch (InvalidTrainingOptionException e) {
            throw InvalidTrainingJobException.invalid("hyperparameters." + e.field(), e.getMessage(), e);
        }
    }

    /** Stores reference log-probabilities computed for the job's pairs, {chosen, rejected} in the pairs' order. */
    public void recordReference(PreparedJob job, List<double[]> values) {
        if (job.pairIds() == null || values.size() != job.pairIds().size()) {
            throw new IllegalArgumentException("job " + job.jobId() + " has " + job.exampleCount()
                    + " pairs; got reference values for " + values.size());
        }
        transactions.executeWithoutResult(status -> {
            List<PreferencePair> rows = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                PreferencePair row = pairs.findById(job.pairIds().get(i)).orElseThrow();
                row.recordReferenceLogps(values.get(i)[0], values.get(i)[1]);
                rows.add(row);
            }
            pairs.saveAll(rows);
        });
    }

    /**
     * Stores the reference values a trainer outside this JVM computed into the job's export folder
     * ({@link JobExport#REFERENCE_FILE}), also when training failed after them, so a later attempt reuses them. A file
     * that is missing or incomplete is left alone.
     */
    public void recordExportedReference(PreparedJob job, Path exportFolder) {
        Path file = exportFolder.resolve(JobExport.REFERENCE_FILE);
        if (job.pairs() != null && Files.isRegularFile(file)) {
            List<double[]> values;
            try {
                values = ExportedExamples.readReference(file);
            } catch (ExportFormatException e) {
                // a trainer stopped while writing them: the next attempt computes them again
                return;
            }
            if (values.size() == job.pairs().size()) {
                recordReference(job, values);
            }
        }
    }

    /**
     * Publishes the model the job wrote to its output folder, while this worker still holds the job's unit.
     *
     * @param summary the last step's metrics with the job's totals, for the job and the new generation
     */
    public TrainedModel publish(PreparedJob job, int steps, Map<String, Object> summary, Consumer<Runnable> whileHeld) {
        boolean adapter = Files.isDirectory(job.export().outputPath().resolve(ADAPTER_FOLDER));
        String[] uri = new String[1];
        whileHeld.accept(
                () -> uri[0] = storage.publish(job.jobId(), job.export().outputPath()));
        Map<String, Object> metrics = new LinkedHashMap<>(summary);
        if (adapter) {
            // trained as a LoRA adapter (TRL): the generation is the merged model, the adapter kept inside it
            metrics.put("peft_adapter", uri[0] + ADAPTER_FOLDER);
        }
        return new TrainedModel(job.jobId(), uri[0], steps, JobJson.write(metrics));
    }
}
