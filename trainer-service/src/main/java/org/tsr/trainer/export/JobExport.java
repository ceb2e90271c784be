package org.tsr.trainer.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;

/**
 * A training job as a trainer outside trainer-service's JVM reads it ({@code job.json} beside the examples): what to
 * train from, on what, with which settings, and where to write the model. Paths are absolute and name places on the
 * checkpoints volume, which every executor mounts at the same path.
 *
 * @param version the export format's version, {@value #VERSION}
 * @param baseModel the Hugging Face folder the job trains from
 * @param referenceModel DPO's reference model folder (the base itself for SR and TSR); null for SFT
 * @param examples the examples file in the export folder, TRL's dataset format ({@link ExportedExamples})
 * @param output the folder the trained model is written to
 * @param trainingCheckpoint the folder of the resumable training checkpoint, the same on every attempt
 * @param trl the job's settings as TRL's DPOConfig or SFTConfig arguments ({@code TrlArguments}), read by the TRL
 *     trainer in deploy/trainer; null unless the job runs on the kubeflow executor
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobExport(
        int version,
        long jobId,
        TrainingKind kind,
        TrainingSettings settings,
        TrainerSettings trainer,
        String baseModel,
        String referenceModel,
        String examples,
        String output,
        String trainingCheckpoint,
        java.util.Map<String, Object> trl) {

    public static final int VERSION = 1;
    public static final String FILE = "job.json";
    public static final String EXAMPLES_FILE = "train.jsonl";
    /** Reference log-probabilities a trainer computed, one line per pair in the examples' order. */
    public static final String REFERENCE_FILE = "reference.jsonl";

    public Path baseModelPath() {
        return Path.of(baseModel);
    }

    public Path referenceModelPath() {
        return referenceModel == null ? baseModelPath() : Path.of(referenceModel);
    }

    public Path outputPath() {
        return Path.of(output);
    }

    public Path trainingCheckpointPath() {
        return Path.of(trainingCheckpoint);
    }
}
