package org.tsr.judge.direct;

import java.util.List;

/** Per item: its judgments and their aggregate (mean and population variance of the valid scores). */
public record JudgmentResponse(long judgeGenerationId, List<Result> results) {

    public record Result(
            String prompt,
            String response,
            Double meanScore,
            double scoreVariance,
            int validJudgments,
            List<Judged> judgments) {}

    public record Judged(int sampleIndex, String text, Double score, String parseError) {}
}
