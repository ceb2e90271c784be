package org.tsr.standalone.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The figures of one iteration of one run, read from its report; null where the run did not measure them.
 *
 * @param dpoModels DPO models trained up to the end of this iteration (SR one per iteration, TSR two)
 * @param scoreGap the mean judge-score gap between chosen and rejected in the dataset the next policy trained on
 * @param oracleGap the mean oracle-grade gap between chosen and rejected in that dataset
 * @param winRateStdError the standard error of the win rate over the held-out prompts
 * @param judgePairs the policy's own sample pairs the judge accuracy was measured on
 * @param tokensJudged the prompt and generated tokens of a model judge (0 for the oracles)
 * @param cosine the mean hidden-state cosine similarity of chosen and rejected in that dataset
 * @param margin the policy's DPO reward margin at its last logged step
 */
record IterationFigures(
        int iteration,
        int dpoModels,
        Double winRate,
        Double oracleScore,
        Double exactMatch,
        Double length,
        Integer pairs,
        Double scoreGap,
        Double cosine,
        Double margin,
        Double judgeAgreement,
        Double chosenPreferred,
        Double oracleGap,
        double wallSeconds,
        double outsideUnitsSeconds,
        Double winRateStdError,
        long judgePairs,
        long tokensSampled,
        long tokensJudged,
        int dpoSteps) {

    /** Each run's finished iterations by its label ("SR, oracle judge"), one list per seed that ran it. */
    static Map<String, List<List<IterationFigures>>> byRun(List<SeedRuns> seeds) {
        Map<String, List<List<IterationFigures>>> byRun = new LinkedHashMap<>();
        for (SeedRuns seed : seeds) {
            seed.reports().forEach((label, report) -> {
                byRun.computeIfAbsent(label, m -> new ArrayList<>()).add(finished(report));
            });
        }
        return byRun;
    }

    /** The figures of every iteration of a run's report that finished, in order. */
    static List<IterationFigures> finished(JsonNode report) {
        String method = report.path("method").asString();
        List<IterationFigures> figures = new ArrayList<>();
        for (JsonNode iteration : report.path("iterations")) {
            String status = iteration.path("status").asString("");
            if (status.equals("SUCCEEDED") || status.equals("DONE")) {
                figures.add(of(method, iteration));
            }
        }
        return figures;
    }

    static IterationFigures of(String method, JsonNode iteration) {
        String dataset = method.equals("SR") ? "SR" : "D2";
        int index = iteration.get("index").asInt();
        JsonNode evaluation = iteration.get("evaluation");
        JsonNode pairs = iteration.path("pairs").path(dataset);
        JsonNode judge = iteration.get("judge");
        JsonNode compute = iteration.path("compute");
        Double margin = null;
        for (JsonNode job : iteration.get("training")) {
            if ("POLICY".equals(job.path("role").asString(null))) {
                margin = number(job.path("metrics").path("rewards/margins"));
            }
        }
        double wall = 0;
        double outside = 0;
        for (JsonNode phase : iteration.get("phases")) {
            wall += phase.get("wallSeconds").asDouble();
            outside += phase.get("outsideUnitsSeconds").asDouble();
        }
        return new IterationFigures(
                index + 1,
                (index + 1) * (method.equals("SR") ? 1 : 2),
                number(evaluation.path("winRateVsM0")),
                number(evaluation.path("meanOracleScore")),
                number(evaluation.path("exactMatch")),
                number(evaluation.path("meanLength")),
                pairs.has("pairs") ? pairs.get("pairs").asInt() : null,
                number(pairs.path("meanScoreGap")),
                number(pairs.path("meanHiddenStateCosine")),
                margin,
                number(judge.path("agreement")),
                number(judge.path("chosenPreferredByOracle").path(dataset).path("share")),
                number(judge.path("chosenPreferredByOracle").path(dataset).path("oracleGap")),
                wall,
                outside,
                number(evaluation.path("winRateStdError")),
                judge.path("pairs").asLong(),
                compute.path("tokensSampled").asLong(),
                compute.path("judgePromptTokens").asLong()
                        + compute.path("judgeCompletionTokens").asLong(),
                compute.path("dpoSteps").asInt());
    }

    static Double number(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asDouble();
    }
}
