package org.tsr.gateway.runs;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;

/** The model generations a run may start from or be judged by: those that exist and are READY. */
@Component
class ReadyGenerations {

    private final ModelGenerationRepository generations;

    ReadyGenerations(ModelGenerationRepository generations) {
        this.generations = generations;
    }

    /** The generation, or a problem naming the request's field: 404 if it does not exist, 409 if not READY. */
    ModelGeneration require(long generationId, String field) {
        ModelGeneration generation = generations
                .findById(generationId)
                .orElseThrow(() -> new RunProblem(
                        HttpStatus.NOT_FOUND, field, "model generation " + generationId + " does not exist"));
        if (generation.getStatus() != GenerationStatus.READY) {
            throw new RunProblem(
                    HttpStatus.CONFLICT,
                    field,
                    "model generation " + generationId + " is " + generation.getStatus() + ", not READY");
        }
        return generation;
    }

    /**
     * A READY generation whose weights the trainer can read (a Hugging Face checkpoint): a run's policy trains, so a
     * model served remotely or the built-in oracle is refused here, not at the run's first training job.
     */
    ModelGeneration requireTrainable(long generationId, String field) {
        ModelGeneration generation = require(generationId, field);
        if (generation.getCheckpointFormat() != CheckpointFormat.HF_SAFETENSORS) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    field,
                    "model generation " + generationId + " is " + generation.getCheckpointFormat()
                            + ", which the trainer cannot train; a run starts from a Hugging Face checkpoint"
                            + " (HF_SAFETENSORS)");
        }
        return generation;
    }
}
