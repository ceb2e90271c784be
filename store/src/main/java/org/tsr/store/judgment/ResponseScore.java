package org.tsr.store.judgment;

/**
 * A response's score under one judge: the mean of its valid judgments ({@code null} when none was valid), their
 * population variance, and how many judgments there were and how many were valid.
 */
public record ResponseScore(
        long responseId,
        long judgeGenerationId,
        int judgments,
        int validJudgments,
        Double meanScore,
        double scoreVariance) {

    public boolean isScored() {
        return validJudgments > 0;
    }
}
