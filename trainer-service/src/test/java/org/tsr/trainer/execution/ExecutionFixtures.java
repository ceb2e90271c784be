package org.tsr.trainer.execution;

import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.checkpoint.CheckpointValidator;
import org.tsr.trainer.storage.CheckpointStorage;

/** The execution package's collaborators, for executors' tests outside it. */
public final class ExecutionFixtures {

    private ExecutionFixtures() {}

    public static JobExportWriter exportWriter(CheckpointStorage storage) {
        return new JobExportWriter(storage);
    }

    public static ImportedModels importedModels(TrainerProperties properties) {
        return new ImportedModels(new CheckpointValidator(), properties);
    }
}
