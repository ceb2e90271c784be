package org.tsr.pairing.curation;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.tsr.store.pair.ResponseSource;

/**
 * What the TSR paper watches in a pair dataset: how many pairs, the chosen and rejected scores and the gap between
 * them (which fades in SR), how often the rejected side came from the anchor and the chosen side from the future
 * model, and the lengths of both sides. Means are null for a dataset without pairs.
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
        Double meanRejectedTokens) {

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
                mean(pairs, s -> s.rejected().tokenCount()));
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
