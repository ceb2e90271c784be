package org.tsr.gateway.evaluation;

import java.util.List;
import org.tsr.store.evaluation.PairwiseJudgments;

/**
 * An evaluated generation against a reference generation on the held-out prompts, as one judge compared their
 * responses in both orders. The win rate counts a prompt 1 when both orders prefer the evaluated response, 0 when both
 * prefer the reference, and one half for each order that goes the other way or has no readable choice.
 *
 * @param winRateLow lower end of the win rate's 95% interval (Wilson's score interval over the prompts, ties counting
 *     half: it never has zero width, unlike mean plus or minus 1.96 standard errors when every prompt went one way)
 * @param ties prompts scored strictly between 0 and 1: the orders disagreed or one was unreadable
 * @param unreadableOrders judge answers (two per prompt) without a readable choice
 */
record PairwiseSummary(
        int prompts,
        double winRate,
        double winRateStdError,
        double winRateLow,
        double winRateHigh,
        LengthControlledWinRate lengthControlled,
        int wins,
        int losses,
        int ties,
        int unreadableOrders,
        double meanLength,
        double referenceMeanLength) {

    static PairwiseSummary of(List<PairwiseJudgments.Compared> comparisons) {
        int n = comparisons.size();
        double[] scores = new double[n];
        double[] differences = new double[n];
        int wins = 0;
        int losses = 0;
        int unreadable = 0;
        double sum = 0;
        double length = 0;
        double referenceLength = 0;
        for (int i = 0; i < n; i++) {
            PairwiseJudgments.Compared compared = comparisons.get(i);
            scores[i] = compared.judgment().evaluatedScore();
            differences[i] = compared.length() - compared.referenceLength();
            sum += scores[i];
            wins += scores[i] == 1 ? 1 : 0;
            losses += scores[i] == 0 ? 1 : 0;
            unreadable += (compared.judgment().forwardChoice() == 0 ? 1 : 0)
                    + (compared.judgment().reversedChoice() == 0 ? 1 : 0);
            length += compared.length();
            referenceLength += compared.referenceLength();
        }
        double winRate = n == 0 ? Double.NaN : sum / n;
        double squares = 0;
        for (double score : scores) {
            squares += (score - winRate) * (score - winRate);
        }
        double stdError = n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1) / n);
        double[] interval = n == 0 ? new double[] {Double.NaN, Double.NaN} : LengthControlledWinRate.wilson(winRate, n);
        return new PairwiseSummary(
                n,
                winRate,
                stdError,
                interval[0],
                interval[1],
                LengthControlledWinRate.fit(scores, differences),
                wins,
                losses,
                n - wins - losses,
                unreadable,
                n == 0 ? Double.NaN : length / n,
                n == 0 ? Double.NaN : referenceLength / n);
    }
}
