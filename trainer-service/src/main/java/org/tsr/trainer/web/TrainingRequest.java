package org.tsr.trainer.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;

/**
 * A training job to run. DPO trains on the pairs of one iteration's dataset against a reference (the base when
 * left out); SFT on the reference answers of a prompt set's splits (IFT and EFT when left out). Hyperparameters
 * use the names of the TRAIN payload table in the README; left out, they take the kind's defaults. {@code trainer}
 * chooses where it trains (executor, nodes, gpusPerNode, image); left out, this service's configuration decides.
 */
public record TrainingRequest(
        @NotNull TrainingKind kind,
        @NotNull Long baseGenerationId,
        Long referenceGenerationId,
        @NotNull @Valid Dataset dataset,
        TrainingSettings hyperparameters,
        @Valid TrainerSettings trainer) {

    /**
     * @param dataset SR, D1 or D2, with {@code iterationId}, for DPO
     * @param splits prompt splits with {@code promptSetId}, for SFT
     */
    public record Dataset(Long iterationId, String dataset, Long promptSetId, List<String> splits) {}
}
