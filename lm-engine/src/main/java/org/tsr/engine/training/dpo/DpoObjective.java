package org.tsr.engine.training.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.Scalars;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.ResponseLogProbs;
import org.tsr.engine.scoring.SequenceScorer;
import org.tsr.engine.training.BatchLoss;
import org.tsr.engine.training.Objective;

/**
 * DPO and its variants on pairs with precomputed reference log-probabilities: the chosen and the rejected
 * responses of a batch go through the policy in one padded pass.
 */
public final class DpoObjective implements Objective<PreferenceExample> {

    private final SequenceScorer scorer;
    private final DpoOptions options;
    private final DpoLoss loss;

    public DpoObjective(LanguageModel policy, DpoOptions options) {
        this.scorer = new SequenceScorer(policy);
        this.options = options;
        this.loss = new DpoLoss(options);
    }

    @Override
    public BatchLoss forward(NDManager manager, List<PreferenceExample> batch) {
        int n = batch.size();
        List<PromptResponse> rows = new ArrayList<>(2 * n);
        batch.forEach(pair -> rows.add(new PromptResponse(pair.promptIds(), pair.chosenIds())));
        batch.forEach(pair -> rows.add(new PromptResponse(pair.promptIds(), pair.rejectedIds())));
        float[] lengths = new float[2 * n];
        float[] referenceChosen = new float[n];
        float[] referenceRejected = new float[n];
        long tokens = 0;
        for (int i = 0; i < n; i++) {
            PreferenceExample pair = batch.get(i);
            if (!pair.hasReference()) {
                throw new IllegalArgumentException("pair " + i + " of the batch has no reference log-probabilities");
            }
            lengths[i] = Math.max(1, pair.chosenIds().length);
            lengths[n + i] = Math.max(1, pair.rejectedIds().length);
            referenceChosen[i] = normalise(pair.referenceChosenLogp(), lengths[i]);
            referenceRejected[i] = normalise(pair.referenceRejectedLogp(), lengths[n + i]);
            tokens += 2L * pair.promptIds().length + pair.chosenIds().length + pair.rejectedIds().length;
        }
        ResponseLogProbs logProbs = scorer.logProbs(manager, rows);
        NDArray policy = logProbs.sums();
        if (options.lengthNormalized()) {
            policy = policy.div(manager.create(lengths));
        }
        NDArray policyChosen = policy.get(new NDIndex("0:{}", n));
        NDArray policyRejected = policy.get(new NDIndex("{}:", n));
        NDArray total = loss.perPair(
                        policyChosen,
                        policyRejected,
                        manager.create(referenceChosen),
                        manager.create(referenceRejected))
                .mean();
        if (options.rpoAlpha() > 0) {
            // RPO: the token-mean NLL of the chosen responses, as TRL adds it
            NDArray chosenTokens = logProbs.tokenLogProbs().get(new NDIndex("0:{}", n));
            NDArray chosenCount =
                    logProbs.responseMask().get(new NDIndex("0:{}", n)).sum().maximum(1f);
            total = total.add(Scalars.times(chosenTokens.sum().neg().div(chosenCount), options.rpoAlpha()));
        }
        float[] chosen = policyChosen.toFloatArray();
        float[] rejected = policyRejected.toFloatArray();
        return new BatchLoss(
                total,
                n,
                tokens,
                new BatchLoss.PairStats(
                        loss.rewards(chosen, referenceChosen),
                        loss.rewards(rejected, referenceRejected),
                        chosen,
                        rejected));
    }

    private float normalise(double sum, float length) {
        return (float) (options.lengthNormalized() ? sum / length : sum);
    }
}
