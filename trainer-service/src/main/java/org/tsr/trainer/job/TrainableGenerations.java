package org.tsr.trainer.job;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;
import org.tsr.contract.checkpoint.CheckpointUri;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;

/** Finds the local Hugging Face folder of a generation the embedded trainer can start from or score with. */
@Component
public class TrainableGenerations {

    private final ModelGenerationRepository generations;

    TrainableGenerations(ModelGenerationRepository generations) {
        this.generations = generations;
    }

    /**
     * @param field the request field that named the generation, for the error
     * @throws InvalidTrainingJobException if it does not exist, has no weights yet or lives on a remote server
     */
    public Path folder(long generationId, String field) {
        ModelGeneration generation = generations
                .findById(generationId)
                .orElseThrow(() -> InvalidTrainingJobException.notFound(
                        field, "model generation " + generationId + " does not exist"));
        if (generation.getStatus() != GenerationStatus.READY) {
            throw InvalidTrainingJobException.invalid(
                    field,
                    "model generation " + generationId + " (" + generation.getName() + ") is " + generation.getStatus()
                            + ": it has no weights to train from");
        }
        if (generation.getCheckpointFormat() != CheckpointFormat.HF_SAFETENSORS) {
            throw InvalidTrainingJobException.invalid(
                    field,
                    "model generation " + generationId + " is served by a remote server; the embedded trainer"
                            + " needs its Hugging Face checkpoint");
        }
        String uri = generation.getCheckpointUri();
        Path folder = CheckpointUri.folder(uri);
        if (!Files.isDirectory(folder)) {
            throw InvalidTrainingJobException.invalid(
                    field, "model generation " + generationId + " has its checkpoint at " + folder + ", not a folder");
        }
        return folder;
    }
}
