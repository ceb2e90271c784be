package org.tsr.engine.training.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.ResponseLogProbs;
import org.tsr.engine.scoring.SequenceScorer;
import org.tsr.engine.training.BatchLoss;
import org.tsr.engine.training.Objective;

/**
 * Supervised fine-tuning: the mean negative log-likelihood of the response tokens of a batch. Prompt tokens
 * condition the response but are not predicted, and padding is neither; one example per row, each starting at
 * position 0 (packing rows stalled learning in the design probes).
 */
public final class SftObjective implements Objective<PromptResponse> {

    private final SequenceScorer scorer;

    public SftObjective(LanguageModel model) {
        this.scorer = new SequenceScorer(model);
    }

    @Override
    public BatchLoss forward(NDManager manager, List<PromptResponse> batch) {
        ResponseLogProbs logProbs = scorer.logProbs(manager, batch);
        long tokens = batch.stream()
                .mapToLong(row -> row.promptIds().length + row.responseIds().length)
                .sum();
        return new BatchLoss(loss(logProbs), batch.size(), tokens, null);
    }

    /** Token-level mean over every response token of the batch, as transformers' causal LM loss. */
    public static NDArray loss(ResponseLogProbs logProbs) {
        NDArray responseTokens = logProbs.responseMask().sum().maximum(1f);
        return logProbs.tokenLogProbs().sum().neg().div(responseTokens);
    }
}
