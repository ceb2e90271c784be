package org.tsr.trainer.execution;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Checks a model a trainer outside this JVM wrote before it enters the lineage: a missing or corrupt checkpoint fails
 * the job with the reason instead of becoming a READY generation nobody can load.
 */
@Component
public class ImportedModels {

    /** @throws IllegalStateException naming the file at fault */
    public void validate(Path folder) {
        if (!Files.isRegularFile(folder.resolve("config.json"))) {
            throw new IllegalStateException("the trained model in " + folder + " has no config.json");
        }
    }
}
