package org.tsr.gateway.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.tsr.store.evaluation.PairwiseJudgments;
import org.tsr.store.run.IterationDiagnostics;
import org.tsr.tasks.Grade;
import org.tsr.tasks.JudgeAgreement;
import org.tsr.tasks.Oracle;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an iteration is worth, measured with the oracle once its work is done, and written to its diagnostics:
 * {@code evaluation} holds the held-out figures of the generation it trained (and, in the first iteration, of M0 under
 * {@code initial}); {@code judge} holds how well the iteration's judge ordered the policy's own samples the way the
 * oracle does, overall and per family, and for each pair dataset the share of pairs whose chosen response the oracle
 * also prefers. Prompts without a reference answer are left out of both. A run that evaluates pairwise also gets
 * {@code evaluation.pairwise}: its judge's comparisons of the trained generation with M0, no oracle needed.
 */
@Component
public class IterationEvaluation {

    private final JdbcClient jdbc;
    private final IterationDiagnostics diagnostics;
    private final JudgeAgreementMeters meters;
    private final PairwiseJudgments pairwise;
    private final JsonMapper json = JsonMapper.builder().build();

    IterationEvaluation(
            JdbcClient jdbc,
            IterationDiagnostics diagnostics,
            JudgeAgreementMeters meters,
            PairwiseJudgments pairwise) {
        this.jdbc = jdbc;
        this.diagnostics = diagnostics;
        this.meters = meters;
        this.pairwise = pairwise;
    }

    /** Grades the evaluation responses of the run's generations and records the iteration's figures. */
    public void recordEvaluation(long runId, long iterationId, boolean first, long initialId, long trainedId) {
        Map<Long, GradedResponse> initial = graded(runId, initialId);
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("generationId", trainedId);
        section.putAll(finite(EvaluationSummary.of(graded(runId, trainedId), initial)));
        if (first) {
            section.put("initial", finite(EvaluationSummary.of(initial, initial)));
        }
        record(iterationId, "evaluation", section);
    }

    /**
     * Records the judge's pairwise comparisons of the trained generation's evaluation responses with the reference
     * generation's, under {@code evaluation.pairwise}: raw and length-controlled win rates with 95% intervals.
     */
    public void recordPairwise(long iterationId, long judgeGenerationId, long referenceGenerationId, long trainedId) {
        PairwiseSummary summary = PairwiseSummary.of(pairwise.ofIteration(iterationId, judgeGenerationId));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("judgeGenerationId", judgeGenerationId);
        figures.put("referenceGenerationId", referenceGenerationId);
        figures.put("generationId", trainedId);
        figures.put("prompts", summary.prompts());
        figures.put("winRate", finiteOrNull(summary.winRate()));
        figures.put("winRateStdError", finiteOrNull(summary.winRateStdError()));
        figures.put("winRateLow", finiteOrNull(summary.winRateLow()));
        figures.put("winRateHigh", finiteOrNull(summary.winRateHigh()));
        figures.put(
                "lengthControlledWinRate",
                finiteOrNull(summary.lengthControlled().value()));
        figures.put(
                "lengthControlledLow", finiteOrNull(summary.lengthControlled().low()));
        figures.put(
                "lengthControlledHigh", finiteOrNull(summary.lengthControlled().high()));
        figures.put("lengthSlope", finiteOrNull(summary.lengthControlled().lengthSlope()));
        figures.put("wins", summary.wins());
        figures.put("losses", summary.losses());
        figures.put("ties", summary.ties());
        figures.put("unreadableOrders", summary.unreadableOrders());
        figures.put("meanLength", finiteOrNull(summary.meanLength()));
        figures.put("referenceMeanLength", finiteOrNull(summary.referenceMeanLength()));
        diagnostics.record(iterationId, "evaluation", "pairwise", json.writeValueAsString(figures));
    }

    /** Measures the iteration's judge against the oracle on the policy's own samples and on the curated pairs. */
    public void recordJudgeAgreement(long iterationId, long judgeGenerationId, String judgeRole) {
        Map<String, Map<Long, List<JudgeAgreement.Scored>>> byFamily = new TreeMap<>();
        jdbc.sql("""
                        select p.id, p.text as prompt, p.reference_answer, p.task_family, r.text, s.mean_score
                        from response r
                        join prompt p on p.id = r.prompt_id
                        left join response_score s on s.response_id = r.id and s.judge_generation_id = :judge
                        where r.iteration_id = :iteration and r.purpose = 'POLICY' and p.reference_answer is not null
                        """)
                .param("judge", judgeGenerationId)
                .param("iteration", iterationId)
                .query((rs, row) -> {
                    Grade grade = Oracle.grade(
                            rs.getString("task_family"),
                            rs.getString("prompt"),
                            rs.getString("reference_answer"),
                            rs.getString("text"));
                    double mean = rs.getDouble("mean_score");
                    Double judged = rs.wasNull() ? null : mean;
                    String family = rs.getString("task_family") == null ? "other" : rs.getString("task_family");
                    byFamily.computeIfAbsent(family, f -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getLong("id"), id -> new ArrayList<>())
                            .add(new JudgeAgreement.Scored(judged, grade.score()));
                    return null;
                })
                .list();
        JudgeAgreement.Result all = new JudgeAgreement.Result(0, Double.NaN);
        Map<String, Object> families = new LinkedHashMap<>();
        for (Map.Entry<String, Map<Long, List<JudgeAgreement.Scored>>> family : byFamily.entrySet()) {
            JudgeAgreement.Result result =
                    JudgeAgreement.ofPrompts(List.copyOf(family.getValue().values()));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("pairs", result.pairs());
            figures.put("agreement", finiteOrNull(result.agreement()));
            families.put(family.getKey(), figures);
            meters.record(judgeRole, family.getKey(), result.agreement());
            all = all.plus(result);
        }
        meters.record(judgeRole, "all", all.agreement());
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("role", judgeRole);
        section.put("generationId", judgeGenerationId);
        section.put("pairs", all.pairs());
        section.put("agreement", finiteOrNull(all.agreement()));
        section.put("families", families);
        section.put("chosenPreferredByOracle", chosenPreferred(iterationId));
        record(iterationId, "judge", section);
    }

    private void record(long iterationId, String section, Map<String, Object> values) {
        values.forEach((key, value) -> diagnostics.record(iterationId, section, key, json.writeValueAsString(value)));
    }

    /**
     * Per dataset: the pairs with a reference, the share whose chosen response the oracle scores higher, and the mean
     * oracle-grade gap between chosen and rejected (the paper's first claim, read with the oracle).
     */
    private Map<String, Object> chosenPreferred(long iterationId) {
        Map<String, double[]> counts = new TreeMap<>();
        jdbc.sql("""
                        select pp.dataset, p.text as prompt, p.reference_answer, p.task_family,
                               c.text as chosen, rj.text as rejected
                        from preference_pair pp
                        join prompt p on p.id = pp.prompt_id
                        join response c on c.id = pp.chosen_response_id
                        join response rj on rj.id = pp.rejected_response_id
                        where pp.iteration_id = :iteration and p.reference_answer is not null
                        """)
                .param("iteration", iterationId)
                .query((rs, row) -> {
                    String family = rs.getString("task_family");
                    String prompt = rs.getString("prompt");
                    String reference = rs.getString("reference_answer");
                    int chosen = Oracle.grade(family, prompt, reference, rs.getString("chosen"))
                            .score();
                    int rejected = Oracle.grade(family, prompt, reference, rs.getString("rejected"))
                            .score();
                    double[] count = counts.computeIfAbsent(rs.getString("dataset"), d -> new double[3]);
                    count[0]++;
                    count[1] += chosen > rejected ? 1 : chosen == rejected ? 0.5 : 0;
                    count[2] += chosen - rejected;
                    return null;
                })
                .list();
        Map<String, Object> shares = new LinkedHashMap<>();
        counts.forEach((dataset, count) -> shares.put(
                dataset,
                Map.of("pairs", (long) count[0], "share", count[1] / count[0], "oracleGap", count[2] / count[0])));
        return shares;
    }

    /** The oracle's grades of a generation's evaluation responses in this run, by prompt. */
    private Map<Long, GradedResponse> graded(long runId, long generationId) {
        Map<Long, GradedResponse> graded = new LinkedHashMap<>();
        jdbc.sql("""
                        select p.id, p.text as prompt, p.reference_answer, p.task_family, r.text
                        from response r
                        join prompt p on p.id = r.prompt_id
                        join iteration i on i.id = r.iteration_id
                        where i.run_id = :run and r.generation_id = :generation and r.purpose = 'EVAL'
                          and p.reference_answer is not null
                        order by p.id
                        """)
                .param("run", runId)
                .param("generation", generationId)
                .query((rs, row) -> {
                    String reference = rs.getString("reference_answer");
                    String text = rs.getString("text");
                    Grade grade = Oracle.grade(rs.getString("task_family"), rs.getString("prompt"), reference, text);
                    graded.put(
                            rs.getLong("id"),
                            new GradedResponse(
                                    rs.getLong("id"),
                                    rs.getString("task_family"),
                                    grade.score(),
                                    Oracle.exactMatch(reference, text),
                                    text.length()));
                    return null;
                })
                .list();
        return graded;
    }

    /** JSON has no NaN: a figure with nothing to measure is written as null. */
    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static Map<String, Object> finite(EvaluationSummary summary) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("prompts", summary.prompts());
        map.put("meanOracleScore", finiteOrNull(summary.meanOracleScore()));
        map.put("exactMatch", finiteOrNull(summary.exactMatch()));
        map.put("meanLength", finiteOrNull(summary.meanLength()));
        map.put("winRateVsM0", finiteOrNull(summary.winRateVsM0()));
        map.put("winRateStdError", finiteOrNull(summary.winRateStdError()));
        if (!summary.families().isEmpty()) {
            map.put("families", finite(summary.families()));
        }
        return map;
    }

    private static Map<String, Object> finite(Map<String, EvaluationSummary> families) {
        Map<String, Object> map = new LinkedHashMap<>();
        families.forEach((family, summary) -> map.put(family, finite(summary)));
        return map;
    }
}
