package org.tsr.standalone.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The experiment's results in the shape of {@code summary.json}: M0 on the held-out set, every run's final figures, and
 * each method and judge pooled over seeds. docs/experiment.md documents every field.
 *
 * <p>A run's 95% interval is over the held-out prompts: its final win rate ± 1.96 standard errors of the per-prompt
 * outcomes (1 win, 0.5 tie, 0 loss). A group of two or more seeds takes Student's t interval over the seeds' final win
 * rates instead (each seed has its own prompts, M0 and training, so that interval covers both sources of noise); a
 * group of one seed keeps the run's interval over prompts.
 */
public record ExperimentSummary(M0 m0, List<RunSummary> runs, List<Group> groups) {

    public record M0(
            @JsonProperty("exact_rate") Double exactRate,
            @JsonProperty("mean_grade") Double meanGrade,
            @JsonProperty("per_seed") List<M0Seed> perSeed) {}

    public record M0Seed(
            long seed,
            @JsonProperty("exact_rate") Double exactRate,
            @JsonProperty("mean_grade") Double meanGrade) {}

    /**
     * One run. {@code judgeAccuracy} is the measured share of the policy's own sample pairs (those whose oracle grades
     * differ) that the judge orders as the oracle does, ties half, pooled over the iterations; the gaps are the mean
     * judge-score and oracle-grade gaps between chosen and rejected of the pairs the next policy trained on.
     */
    public record RunSummary(
            String method,
            String judge,
            @JsonProperty("judge_accuracy") Double judgeAccuracy,
            @JsonProperty("judge_accuracy_per_iteration") List<Double> judgeAccuracyPerIteration,
            long seed,
            int iterations,
            @JsonProperty("final_win_rate") Double finalWinRate,
            List<Double> ci95,
            @JsonProperty("exact_rate") Double exactRate,
            @JsonProperty("mean_grade") Double meanGrade,
            @JsonProperty("gap_per_iteration") List<Double> gapPerIteration,
            @JsonProperty("oracle_gap_per_iteration") List<Double> oracleGapPerIteration,
            @JsonProperty("tokens_sampled") long tokensSampled,
            @JsonProperty("tokens_judged") long tokensJudged,
            @JsonProperty("dpo_steps") int dpoSteps,
            double seconds) {}

    public record Group(
            String method,
            String judge,
            @JsonProperty("judge_accuracy") Double judgeAccuracy,
            int seeds,
            @JsonProperty("final_win_rate") Double finalWinRate,
            List<Double> ci95) {

        /** Whether the interval lies wholly above {@code other}'s. */
        boolean above(Group other) {
            return ci95 != null && other.ci95 != null && ci95.get(0) > other.ci95.get(1);
        }
    }

    public static ExperimentSummary of(List<SeedRuns> seeds) {
        List<M0Seed> m0 = new ArrayList<>();
        List<RunSummary> runs = new ArrayList<>();
        for (SeedRuns seed : seeds) {
            JsonNode initial = seed.reports().values().iterator().next().path("initialEvaluation");
            m0.add(new M0Seed(
                    seed.seed(),
                    IterationFigures.number(initial.path("exactMatch")),
                    IterationFigures.number(initial.path("meanOracleScore"))));
            seed.reports()
                    .forEach((label, report) ->
                            runs.add(run(seed.seed(), seed.judges().get(label), report)));
        }
        Map<String, List<RunSummary>> byGroup = new LinkedHashMap<>();
        runs.forEach(run -> byGroup.computeIfAbsent(run.method() + "/" + run.judge(), key -> new ArrayList<>())
                .add(run));
        List<Group> groups = new ArrayList<>();
        byGroup.values().forEach(group -> groups.add(group(group)));
        return new ExperimentSummary(
                new M0(
                        mean(m0.stream().map(M0Seed::exactRate).toList()),
                        mean(m0.stream().map(M0Seed::meanGrade).toList()),
                        m0),
                runs,
                groups);
    }

    /** The group of a method and judge, if the experiment ran it. */
    public java.util.Optional<Group> group(String method, String judge) {
        return groups.stream()
                .filter(group -> group.method().equals(method) && group.judge().equals(judge))
                .findFirst();
    }

    private static RunSummary run(long seed, String judge, JsonNode report) {
        String method = report.path("method").asString();
        String dataset = method.equals("SR") ? "SR" : "D2";
        List<Double> accuracy = new ArrayList<>();
        List<Double> gap = new ArrayList<>();
        List<Double> oracleGap = new ArrayList<>();
        double agreeing = 0;
        long pairs = 0;
        long tokensSampled = 0;
        long tokensJudged = 0;
        int dpoSteps = 0;
        double seconds = 0;
        JsonNode last = null;
        int iterations = 0;
        for (JsonNode iteration : report.path("iterations")) {
            String status = iteration.path("status").asString("");
            if (!status.equals("SUCCEEDED") && !status.equals("DONE")) {
                continue;
            }
            iterations++;
            last = iteration;
            JsonNode judged = iteration.path("judge");
            Double agreement = IterationFigures.number(judged.path("agreement"));
            accuracy.add(agreement);
            if (agreement != null) {
                agreeing += agreement * judged.path("pairs").asLong();
                pairs += judged.path("pairs").asLong();
            }
            gap.add(IterationFigures.number(
                    iteration.path("pairs").path(dataset).path("meanScoreGap")));
            oracleGap.add(IterationFigures.number(
                    judged.path("chosenPreferredByOracle").path(dataset).path("oracleGap")));
            JsonNode compute = iteration.path("compute");
            tokensSampled += compute.path("tokensSampled").asLong();
            tokensJudged += compute.path("judgePromptTokens").asLong()
                    + compute.path("judgeCompletionTokens").asLong();
            dpoSteps += compute.path("dpoSteps").asInt();
            for (JsonNode phase : iteration.path("phases")) {
                seconds += phase.path("wallSeconds").asDouble();
            }
        }
        JsonNode evaluation = last == null ? null : last.path("evaluation");
        Double win = evaluation == null ? null : IterationFigures.number(evaluation.path("winRateVsM0"));
        Double error = evaluation == null ? null : IterationFigures.number(evaluation.path("winRateStdError"));
        return new RunSummary(
                method,
                judge,
                pairs == 0 ? null : agreeing / pairs,
                accuracy,
                seed,
                iterations,
                win,
                win == null || error == null ? null : List.of(win - 1.96 * error, win + 1.96 * error),
                evaluation == null ? null : IterationFigures.number(evaluation.path("exactMatch")),
                evaluation == null ? null : IterationFigures.number(evaluation.path("meanOracleScore")),
                gap,
                oracleGap,
                tokensSampled,
                tokensJudged,
                dpoSteps,
                seconds);
    }

    private static Group group(List<RunSummary> runs) {
        RunSummary first = runs.get(0);
        List<Double> wins = runs.stream().map(RunSummary::finalWinRate).toList();
        Interval interval = Interval.of(wins);
        List<Double> ci95;
        if (!interval.present()) {
            ci95 = null;
        } else if (interval.n() == 1) {
            ci95 = runs.stream()
                    .map(RunSummary::ci95)
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .orElse(null);
        } else {
            ci95 = List.of(interval.low(), interval.high());
        }
        return new Group(
                first.method(),
                first.judge(),
                mean(runs.stream().map(RunSummary::judgeAccuracy).toList()),
                runs.size(),
                interval.present() ? interval.mean() : null,
                ci95);
    }

    private static Double mean(List<Double> values) {
        Interval interval = Interval.of(values);
        return interval.present() ? interval.mean() : null;
    }
}
