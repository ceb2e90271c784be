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
public record ExperimentSummary(
        @JsonProperty("trainer_executor") String trainerExecutor, M0 m0, List<RunSummary> runs, List<Group> groups) {

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
                executors(seeds),
                new M0(
                        mean(m0.stream().map(M0Seed::exactRate).toList()),
                        mean(m0.stream().map(M0Seed::meanGrade).toList()),
                        m0),
                runs,
                groups);
    }

    /**
     * Where the runs' DPO jobs trained, as the trainer recorded it: one executor's name, several joined by commas if
     * they differed, or null if no job started.
     */
    static String executors(List<SeedRuns> seeds) {
        java.util.SortedSet<String> executors = new java.util.TreeSet<>();
        for (SeedRuns seed : seeds) {
            for (JsonNode report : seed.reports().values()) {
                for (JsonNode iteration : report.path("iterations")) {
                    for (JsonNode job : iteration.path("training")) {
                        if (job.path("executor").isString()) {
                            executors.add(job.path("executor").asString());
                        }
                    }
                }
            }
        }
        return executors.isEmpty() ? null : String.join(",", executors);
    }

    /** The group of a method and judge, if the experiment ran it. */
    public java.util.Optional<Group> group(String method, String judge) {
        return groups.stream()
                .filter(group -> group.method().equals(method) && group.judge().equals(judge))
                .findFirst();
    }

    private static RunSummary run(long seed, String judge, JsonNode report) {
        List<IterationFigures> iterations = IterationFigures.finished(report);
        double agreeing = 0;
        long pairs = 0;
        for (IterationFigures iteration : iterations) {
            if (iteration.judgeAgreement() != null) {
                agreeing += iteration.judgeAgreement() * iteration.judgePairs();
                pairs += iteration.judgePairs();
            }
        }
        IterationFigures last = iterations.isEmpty() ? null : iterations.get(iterations.size() - 1);
        Double win = last == null ? null : last.winRate();
        Double error = last == null ? null : last.winRateStdError();
        return new RunSummary(
                report.path("method").asString(),
                judge,
                pairs == 0 ? null : agreeing / pairs,
                iterations.stream().map(IterationFigures::judgeAgreement).toList(),
                seed,
                iterations.size(),
                win,
                win == null || error == null ? null : List.of(win - 1.96 * error, win + 1.96 * error),
                last == null ? null : last.exactMatch(),
                last == null ? null : last.oracleScore(),
                iterations.stream().map(IterationFigures::scoreGap).toList(),
                iterations.stream().map(IterationFigures::oracleGap).toList(),
                iterations.stream().mapToLong(IterationFigures::tokensSampled).sum(),
                iterations.stream().mapToLong(IterationFigures::tokensJudged).sum(),
                iterations.stream().mapToInt(IterationFigures::dpoSteps).sum(),
                iterations.stream().mapToDouble(IterationFigures::wallSeconds).sum());
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
