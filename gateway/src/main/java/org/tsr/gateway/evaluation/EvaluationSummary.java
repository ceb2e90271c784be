package org.tsr.gateway.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generation's figures on the held-out set: mean oracle score, share of exact answers, mean response length in
 * characters, and its win rate against M0 (per prompt, the higher oracle score wins and a tie counts half; the oracle
 * scores each response on its own, so asking it in both orders gives the same verdict), overall and per task family.
 * {@code winRateStdError} is the standard error of that win rate over the prompts (the per-prompt outcomes 1, 0.5 and 0
 * as a sample), from which a 95% interval over prompts is the win rate ± 1.96 standard errors.
 */
record EvaluationSummary(
        int prompts,
        double meanOracleScore,
        double exactMatch,
        double meanLength,
        double winRateVsM0,
        double winRateStdError,
        Map<String, EvaluationSummary> families) {

    static EvaluationSummary of(Map<Long, GradedResponse> generation, Map<Long, GradedResponse> initial) {
        Map<String, List<GradedResponse>> byFamily = new TreeMap<>();
        for (GradedResponse response : generation.values()) {
            byFamily.computeIfAbsent(response.family() == null ? "other" : response.family(), f -> new ArrayList<>())
                    .add(response);
        }
        Map<String, EvaluationSummary> families = new LinkedHashMap<>();
        byFamily.forEach((family, responses) -> families.put(family, figures(responses, initial, Map.of())));
        return figures(List.copyOf(generation.values()), initial, families);
    }

    private static EvaluationSummary figures(
            List<GradedResponse> responses,
            Map<Long, GradedResponse> initial,
            Map<String, EvaluationSummary> families) {
        double score = 0;
        double exact = 0;
        double length = 0;
        double wins = 0;
        double winsSquared = 0;
        int compared = 0;
        for (GradedResponse response : responses) {
            score += response.score();
            exact += response.exact() ? 1 : 0;
            length += response.length();
            GradedResponse rival = initial.get(response.promptId());
            if (rival != null) {
                compared++;
                double outcome = response.score() > rival.score() ? 1 : response.score() == rival.score() ? 0.5 : 0;
                wins += outcome;
                winsSquared += outcome * outcome;
            }
        }
        int n = responses.size();
        return new EvaluationSummary(
                n,
                n == 0 ? Double.NaN : score / n,
                n == 0 ? Double.NaN : exact / n,
                n == 0 ? Double.NaN : length / n,
                compared == 0 ? Double.NaN : wins / compared,
                standardError(wins, winsSquared, compared),
                families);
    }

    private static double standardError(double sum, double sumOfSquares, int n) {
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        double variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
        return Math.sqrt(variance / n);
    }
}
