package org.tsr.trainer.execution;

import java.nio.file.Path;
import org.springframework.stereotype.Component;
import org.tsr.trainer.checkpoint.CheckpointValidator;
import org.tsr.trainer.checkpoint.InvalidCheckpointException;
import org.tsr.trainer.checkpoint.ValidatedCheckpoint;

/**
 * Checks a model a trainer outside this JVM wrote before it enters the lineage (config, safetensors headers and
 * tensor names against the config, tokenizer): a missing or corrupt checkpoint fails the job with the reason instead
 * of becoming a READY generation nobody can load.
 */
@Component
public class ImportedModels {

    private final CheckpointValidator validator;

    ImportedModels(CheckpointValidator validator) {
        this.validator = validator;
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
