package org.tsr.engine.training.dpo;

import java.util.ArrayList;
import java.util.List;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.ResponseLikelihood;
import org.tsr.engine.scoring.SequenceScorer;

/**
 * Scores a dataset's pairs with the reference model once, before training, so the reference need not stay in
 * memory while the policy trains (and the values can be stored with the pairs).
 */
public final class ReferenceLogProbs {

    private ReferenceLogProbs() {}

    /**
     * The pairs with their summed reference log-probabilities, in the same order. A model with LoRA adapters scores
     * as its base, the adapters off: the reference of a LoRA run is the model it started from, whatever the adapters
     * have learnt (also when a resumed run brings them back from a checkpoint).
     */
    public static List<PreferenceExample> compute(
            LanguageModel reference, List<PreferenceExample> pairs, int pairsPerBatch) {
        try (LoraAdapters.Scope adaptersOff =
                reference.network().lora().map(LoraAdapters::disabled).orElse(null)) {
            return score(reference, pairs, pairsPerBatch);
        }
    }

    private static List<PreferenceExample> score(
            LanguageModel reference, List<PreferenceExample> pairs, int pairsPerBatch) {
        SequenceScorer scorer = new SequenceScorer(reference);
        List<PreferenceExample> scored = new ArrayList<>(pairs.size());
        int step = Math.max(1, pairsPerBatch);
        for (int from = 0; from < pairs.size(); from += step) {
            List<PreferenceExample> slice = pairs.subList(from, Math.min(pairs.size(), from + step));
            List<PromptResponse> rows = new ArrayList<>(2 * slice.size());
            slice.forEach(pair -> rows.add(new PromptResponse(pair.promptIds(), pair.chosenIds())));
            slice.forEach(pair -> rows.add(new PromptResponse(pair.promptIds(), pair.rejectedIds())));
            List<ResponseLikelihood> scores = scorer.score(rows, false);
            for (int i = 0; i < slice.size(); i++) {
                scored.add(slice.get(i)
                        .withReference(
                                scores.get(i).sumLogProb(),
                                scores.get(slice.size() + i).sumLogProb()));
            }
        }
        return scored;
    }
}
