package org.tsr.trainer.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.checkpoint.CheckpointValidator;
import org.tsr.trainer.checkpoint.InvalidCheckpointException;
import org.tsr.trainer.checkpoint.ValidatedCheckpoint;
import org.tsr.trainer.job.AdapterMerge;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.PreparedJobs;

/**
 * Checks a model a trainer outside this JVM wrote before it enters the lineage (config, safetensors headers and
 * tensor names against the config, tokenizer): a missing or corrupt checkpoint fails the job with the reason instead
 * of becoming a READY generation nobody can load. A PEFT adapter folder (TRL training LoRA) is merged into its base,
 * so the generation loads everywhere as a full model, and kept as {@code adapter/} inside it.
 */
@Component
public class ImportedModels {

    private final CheckpointValidator validator;
    private final TrainerProperties properties;

    ImportedModels(CheckpointValidator validator, TrainerProperties properties) {
        this.validator = validator;
        this.properties = properties;
    }

    /**
     * Makes the job's output folder a checked full model, ready to publish.
     *
     * @throws IllegalStateException naming the folder, the file at fault and the problem
     */
    public ValidatedCheckpoint importModel(PreparedJob job) {
        Path output = job.export().outputPath();
        ValidatedCheckpoint checked = validate(output);
        if (checked.kind() == ValidatedCheckpoint.Kind.FULL) {
            return checked;
        }
        Path adapter = output.resolveSibling("trained-" + PreparedJobs.ADAPTER_FOLDER);
        try {
            FileSystemUtils.deleteRecursively(adapter);
            Files.move(output, adapter);
            AdapterMerge.merge(job.export().baseModelPath(), adapter, output, properties.engineOptions());
            Files.move(adapter, output.resolve(PreparedJobs.ADAPTER_FOLDER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the trained adapter in " + output, e);
        }
        return validate(output);
    }

    /** @throws IllegalStateException naming the folder, the file at fault and the problem */
    public ValidatedCheckpoint validate(Path folder) {
        try {
            return validator.validate(folder);
        } catch (InvalidCheckpointException e) {
            throw new IllegalStateException(
                    "the trained model in " + folder + " is not a usable checkpoint: " + e.getMessage(), e);
        }
    }
}
