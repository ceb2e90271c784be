package org.tsr.judge.work;

import java.util.List;

/**
 * The payload of a JUDGE work unit: rate responses with one judge generation, {@code samples} judgments each.
 *
 * @param modelRole the role of the model that wrote the responses (POLICY, ANCHOR, FUTURE, EVAL), for the meters
 * @param template a judge template replacing the default rubric; null keeps the default
 * @param oracleAccuracy when the judge is the built-in oracle: the nominal accuracy of each judge sample (a noisy
 *     oracle); null judges with the exact grades
 */
public record JudgeUnit(
        long judgeGenerationId,
        List<Long> responseIds,
        String modelRole,
        int samples,
        double temperature,
        int maxTokens,
        long seed,
        String template,
        Double oracleAccuracy) {}
