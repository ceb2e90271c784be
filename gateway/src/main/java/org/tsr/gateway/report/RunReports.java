package org.tsr.gateway.report;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.tsr.gateway.orchestration.PhasePlan;
import org.tsr.gateway.runs.RunCatalog;
import org.tsr.gateway.runs.RunView;
import org.tsr.store.run.IterationPhase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/** Builds a run's report from what its iterations recorded. */
@Service
public class RunReports {

    private final RunCatalog catalog;
    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    RunReports(RunCatalog catalog, JdbcClient jdbc) {
        this.catalog = catalog;
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public RunReport report(long runId) {
        RunView run = catalog.view(runId);
        List<Long> iterationIds = jdbc.sql("select id from iteration where run_id = :run order by iteration_index")
                .param("run", runId)
                .query(Long.class)
                .list();
        List<RunReport.IterationReport> iterations = new ArrayList<>();
        JsonNode initial = NullNode.getInstance();
        for (int i = 0; i < run.iterations().size(); i++) {
            RunView.IterationView view = run.iterations().get(i);
            long iterationId = iterationIds.get(i);
            JsonNode evaluation = section(view.diagnostics(), "evaluation");
            if (i == 0 && evaluation.has("initial")) {
                initial = evaluation.get("initial");
            }
            List<RunReport.TrainingReport> training = training(iterationId);
            iterations.add(new RunReport.IterationReport(
                    view.index(),
                    view.status(),
                    view.policyGenerationId(),
                    view.nextGenerationId(),
                    evaluation,
                    section(view.diagnostics(), "judge"),
                    section(view.diagnostics(), "pairs"),
                    training,
                    phases(iterationId, view.timings()),
                    compute(iterationId, training)));
        }
        return new RunReport(
                run.id(),
                run.name(),
                run.method(),
                run.status(),
                run.failureReason(),
                run.initialGenerationId(),
                initial,
                iterations);
    }

    private static JsonNode section(JsonNode diagnostics, String name) {
        JsonNode section = diagnostics == null ? null : diagnostics.get(name);
        return section == null ? NullNode.getInstance() : section;
    }

    private List<RunReport.TrainingReport> training(long iterationId) {
        return jdbc.sql("""
                        select j.dataset ->> 'dataset' as dataset, g.kind, j.output_generation_id, j.status, j.step,
                               j.executor, j.workload, j.metrics::text as metrics
                        from training_job j
                        left join model_generation g on g.id = j.output_generation_id
                        where j.iteration_id = :iteration and j.kind = 'DPO'
                        order by j.id
                        """)
                .param("iteration", iterationId)
                .query((rs, row) -> new RunReport.TrainingReport(
                        rs.getString("dataset"),
                        rs.getString("kind"),
                        rs.getObject("output_generation_id", Long.class),
                        rs.getString("status"),
                        rs.getInt("step"),
                        rs.getString("executor"),
                        rs.getString("workload"),
                        json.readTree(rs.getString("metrics"))))
                .list();
    }

    private RunReport.Compute compute(long iterationId, List<RunReport.TrainingReport> training) {
        return jdbc.sql("""
                        select
                          (select count(*) from response
                            where iteration_id = :iteration and purpose <> 'EVAL') as responses,
                          (select coalesce(sum(token_count), 0) from response
                            where iteration_id = :iteration and purpose <> 'EVAL') as sampled,
                          (select coalesce(sum(token_count), 0) from response
                            where iteration_id = :iteration and purpose = 'EVAL') as evaluated,
                          (select count(*) from judgment j join response r on r.id = j.response_id
                            where r.iteration_id = :iteration and r.purpose <> 'EVAL') as judgments,
                          (select coalesce(sum(j.prompt_tokens), 0) from judgment j join response r on r.id = j.response_id
                            where r.iteration_id = :iteration and r.purpose <> 'EVAL') as judge_prompt,
                          (select coalesce(sum(j.completion_tokens), 0) from judgment j
                            join response r on r.id = j.response_id
                            where r.iteration_id = :iteration and r.purpose <> 'EVAL') as judge_completion
                        """)
                .param("iteration", iterationId)
                .query((rs, row) -> new RunReport.Compute(
                        rs.getLong("responses"),
                        rs.getLong("sampled"),
                        rs.getLong("evaluated"),
                        rs.getLong("judgments"),
                        rs.getLong("judge_prompt"),
                        rs.getLong("judge_completion"),
                        training.stream()
                                .mapToInt(RunReport.TrainingReport::steps)
                                .sum()))
                .single();
    }

    /** Each finished phase's wall time and the part of it when none of its units was running. */
    private Map<String, RunReport.PhaseTime> phases(long iterationId, JsonNode timings) {
        Map<String, RunReport.PhaseTime> phases = new LinkedHashMap<>();
        for (String phase : timings.propertyNames()) {
            double wall = timings.get(phase).asDouble();
            List<long[]> intervals = jdbc.sql("""
                            select started_at, finished_at from work_unit
                            where iteration_id = :iteration and unit_key like :prefix
                              and started_at is not null and finished_at is not null
                            """)
                    .param("iteration", iterationId)
                    .param("prefix", PhasePlan.unitKeyPrefix(iterationId, IterationPhase.valueOf(phase)) + "%")
                    .query((rs, row) ->
                            new long[] {millis(rs.getTimestamp("started_at")), millis(rs.getTimestamp("finished_at"))})
                    .list();
            double busy = union(intervals) / 1000.0;
            phases.put(phase, new RunReport.PhaseTime(wall, Math.max(0, wall - busy)));
        }
        return phases;
    }

    private static long millis(Timestamp timestamp) {
        return timestamp.getTime();
    }

    /** The length of the union of the intervals, in milliseconds. */
    static long union(List<long[]> intervals) {
        List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingLong(interval -> interval[0]));
        long total = 0;
        long start = Long.MIN_VALUE;
        long end = Long.MIN_VALUE;
        for (long[] interval : sorted) {
            if (interval[0] > end) {
                total += end - start;
                start = interval[0];
                end = interval[1];
            } else {
                end = Math.max(end, interval[1]);
            }
        }
        return total + (end - start);
    }
}
