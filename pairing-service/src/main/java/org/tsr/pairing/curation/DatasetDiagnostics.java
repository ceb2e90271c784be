package org.tsr.pairing.curation;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.tsr.store.pair.ResponseSource;

/**
 * What the TSR paper watches in a pair dataset: how many pairs, the chosen and rejected scores and the gap between
 * them (which fades in SR), how often the rejected side came from the anchor and the chosen side from the future
 * model, the lengths of both sides, and how alike the policy represents the two sides (mean cosine of their hidden
 * states, which converges in SR). Means are null for a dataset without pairs.
 */
public record DatasetDiagnostics(
        int prompts,
        int pairs,
        int promptsWithoutSelection,
        int ties,
        Double meanChosenScore,
        Double meanRejectedScore,
        Double meanScoreGap,
        double rejectedFromAnchorShare,
        double chosenFromFutureShare,
        Double meanChosenTokens,
        Double meanRejectedTokens,
        Double meanHiddenStateCosine,
        String hiddenStateCosineUnavailable) {

    /** Summarises the selections of a dataset; {@code prompts} counts every prompt that was considered. */
    public static DatasetDiagnostics of(int prompts, List<Selection> selections) {
        List<Selection> pairs = selections.stream().filter(Selection::isKept).toList();
        int ties = selections.size() - pairs.size();
        return new DatasetDiagnostics(
                prompts,
                pairs.size(),
                prompts - selections.size(),
                ties,
                mean(pairs, s -> s.chosen().score()),
                mean(pairs, s -> s.rejected().score()),
                mean(pairs, s -> s.chosen().score() - s.rejected().score()),
                share(pairs, s -> s.rejected().source() == ResponseSource.ANCHOR),
                share(pairs, s -> s.chosen().source() == ResponseSource.FUTURE),
                mean(pairs, s -> s.chosen().tokenCount()),
                mean(pairs, s -> s.rejected().tokenCount()),
                null,
                "not measured");
    }

    /** The same figures with the mean cosine of chosen and rejected hidden states, or why it could not be had. */
    public DatasetDiagnostics withHiddenStateCosine(Double meanCosine, String unavailable) {
        return new DatasetDiagnostics(
                prompts,
                pairs,
                promptsWithoutSelection,
                ties,
                meanChosenScore,
                meanRejectedScore,
                meanScoreGap,
                rejectedFromAnchorShare,
                chosenFromFutureShare,
                meanChosenTokens,
                meanRejectedTokens,
                meanCosine,
                unavailable);
    }

    private static Double mean(List<Selection> pairs, ToDoubleFunction<Selection> value) {
        return pairs.isEmpty()
                ? null
                : pairs.stream().mapToDouble(value).average().orElseThrow();
    }

    private static double share(List<Selection> pairs, java.util.function.Predicate<Selection> test) {
        return pairs.isEmpty() ? 0.0 : (double) pairs.stream().filter(test).count() / pairs.size();
    }
}
