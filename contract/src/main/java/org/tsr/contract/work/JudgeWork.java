package org.tsr.contract.work;

import java.util.List;

/**
 * The payload of a JUDGE work unit: rate responses with one judge generation, {@code samples} judgments each.
 *
 * @param modelRole the role of the model that wrote the responses (POLICY, ANCHOR, FUTURE, EVAL), for the meters
 * @param template a judge template replacing the default rubric; null keeps the default
 * @param oracleAccuracy when the judge is the built-in oracle: the nominal accuracy of each judge sample (a noisy
 *     oracle); null judges with the exact grades
 * @param expectedScore a model judge's score is the probability-weighted mean of the score digits after its reasoning
 *     (G-Eval's expected score) instead of the digit it wrote; null or false reads the written digit
 */
public record JudgeWork(
        long judgeGenerationId,
        List<Long> responseIds,
        String modelRole,
        int samples,
        double temperature,
        int maxTokens,
        long seed,
        String template,
        Double oracleAccuracy,
        Boolean expectedScore) {}
