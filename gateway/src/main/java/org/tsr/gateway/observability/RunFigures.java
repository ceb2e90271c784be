package org.tsr.gateway.observability;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.tsr.gateway.orchestration.PhasePlan;
import org.tsr.store.run.IterationPhase;
import org.tsr.store.workqueue.StageCounts;
import org.tsr.store.workqueue.WorkQueue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what the run meters show from the store, with a few small queries: run counts, the latest run of each method
 * and judge role with its iterations (phase timings and diagnostics as the conductor and the stages wrote them), and the progress of
 * the phase each of those runs is in.
 */
@Component
class RunFigures {

    /** One iteration of a method's latest run, as far as the meters need it. */
    record IterationFigures(int index, String phase, String status, JsonNode timings, JsonNode diagnostics) {}

    /**
     * The latest run of a method and judge role (self, fixed, oracle): its planned iteration count, its iterations and
     * its current phase's progress.
     */
    record LatestRun(
            String method,
            String judgeRole,
            String status,
            int plannedIterations,
            List<IterationFigures> iterations,
            String currentPhase,
            StageCounts currentPhaseUnits) {}

    /** An iteration's phase timings (seconds per phase left), with the method of its run. */
    record Timings(long iterationId, String method, JsonNode seconds) {}

    /** Timings of the iterations changed since a moment, and the database's clock when they were read. */
    record TimingsSince(List<Timings> timings, Instant readAt) {}

    private final JdbcClient jdbc;
    private final WorkQueue queue;
    private final JsonMapper json = JsonMapper.builder().build();

    RunFigures(JdbcClient jdbc, WorkQueue queue) {
        this.jdbc = jdbc;
        this.queue = queue;
    }

    /** Runs by method and status (lower case, as the meters tag them). */
    Map<String, Long> runCounts() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("select method, status, count(*) as n from run group by method, status")
                .query(rs -> {
                    counts.put(key(rs.getString("method"), rs.getString("status")), rs.getLong("n"));
                });
        return counts;
    }

    static String key(String method, String status) {
        return method.toLowerCase(Locale.ROOT) + "/" + status.toLowerCase(Locale.ROOT);
    }

    /** The most recently created run of each method and judge role, with its iterations in order. */
    List<LatestRun> latestRuns() {
        List<LatestRun> latest = new ArrayList<>();
        record RunRow(long id, String method, String judgeRole, String status, int planned) {}
        List<RunRow> rows = jdbc.sql("""
                        select distinct on (method, judge_role) id, method, judge_role, status, planned
                        from (select id, method, status,
                                     coalesce((configuration ->> 'iterations')::int, 0) as planned,
                                     lower(coalesce(configuration -> 'judge' ->> 'role', 'SELF')) as judge_role
                              from run) runs
                        order by method, judge_role, id desc
                        """)
                .query((rs, n) -> new RunRow(
                        rs.getLong("id"),
                        rs.getString("method"),
                        rs.getString("judge_role"),
                        rs.getString("status"),
                        rs.getInt("planned")))
                .list();
        for (RunRow run : rows) {
            List<IterationFigures> iterations = new ArrayList<>();
            String[] current = {null};
            long[] currentId = {-1};
            jdbc.sql("""
                            select id, iteration_index, phase, status, timings::text as timings,
                                   diagnostics::text as diagnostics
                            from iteration where run_id = ? order by iteration_index
                            """).params(run.id()).query(rs -> {
                String phase = rs.getString("phase");
                iterations.add(new IterationFigures(
                        rs.getInt("iteration_index"),
                        phase,
                        rs.getString("status"),
                        json.readTree(rs.getString("timings")),
                        json.readTree(rs.getString("diagnostics"))));
                current[0] = phase; // the last iteration's phase is the run's
                currentId[0] = rs.getLong("id");
            });
            StageCounts units = current[0] == null || !hasUnits(current[0])
                    ? null
                    : queue.countsByKeyPrefix(
                            currentId[0], PhasePlan.unitKeyPrefix(currentId[0], IterationPhase.valueOf(current[0])));
            latest.add(new LatestRun(
                    run.method(), run.judgeRole(), run.status(), run.planned(), iterations, current[0], units));
        }
        return latest;
    }

    private static boolean hasUnits(String phase) {
        return !phase.equals(IterationPhase.PENDING.name()) && !phase.equals(IterationPhase.DONE.name());
    }

    /** The timings of every iteration changed at or after {@code since} (all of them when null). */
    TimingsSince timingsSince(Instant since) {
        Instant readAt =
                jdbc.sql("select now()").query(Timestamp.class).single().toInstant();
        String select =
                "select i.id, r.method, i.timings::text as timings from iteration i join run r on r.id = i.run_id";
        List<Timings> timings = (since == null
                        ? jdbc.sql(select)
                        : jdbc.sql(select + " where i.updated_at >= ?").params(Timestamp.from(since)))
                .query((rs, n) ->
                        new Timings(rs.getLong("id"), rs.getString("method"), json.readTree(rs.getString("timings"))))
                .list();
        return new TimingsSince(timings, readAt);
    }
}
