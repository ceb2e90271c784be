package org.tsr.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.tsr.store.workqueue.WorkQueue;

/**
 * The run meters read what the conductor and the stages wrote into the store: an older TSR run, one judged by the
 * oracle, then the latest one with a finished iteration (timings, pair diagnostics, evaluation and judge sections) and
 * one in the middle of JUDGING.
 */
@SpringBootTest(properties = {"tsr.orchestration.conduct=false", "tsr.access.enabled=false"})
class RunMetersTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    WorkQueue queue;

    MeterRegistry registry = new SimpleMeterRegistry();
    RunFigures figures;
    long judging;
    long m0;
    final java.util.List<Long> runs = new java.util.ArrayList<>();

    @BeforeEach
    void latestTsrRun() {
        // runs of earlier tests must not move or be counted as the latest
        jdbc.update("update run set status = 'CANCELLED' where status in ('PENDING', 'RUNNING', 'PAUSED')");
        figures = new RunFigures(JdbcClient.create(jdbc), queue);
        m0 = jdbc.queryForObject(
                "insert into model_generation (name, kind) values ('M0', 'SFT') returning id", Long.class);
        run(m0, "{\"iterations\": 1}");
        run(m0, "{\"iterations\": 5, \"judge\": {\"role\": \"ORACLE\"}}");
        long run = run(m0, "{\"iterations\": 3}");
        iteration(run, 0, "DONE", "SUCCEEDED", m0, """
                {"GENERATING": 12.5, "JUDGING": 3.0}""", """
                {"pairs": {"D1": {"pairs": 4, "meanChosenScore": 4.5, "meanRejectedScore": 2.0, "meanScoreGap": 2.5},
                           "D2": {"pairs": 0, "meanChosenScore": null, "meanScoreGap": null}},
                 "evaluation": {"winRateVsM0": 0.625, "meanOracleScore": 3.5, "initial": {"winRateVsM0": 0.5},
                                "pairwise": {"winRate": 0.75, "lengthControlledWinRate": 0.6}},
                 "judge": {"pairs": 12, "agreement": 0.75,
                           "chosenPreferredByOracle": {"D1": {"pairs": 4, "share": 0.875}}}}""");
        judging = iteration(run, 1, "JUDGING", "RUNNING", m0, "{}", "{}");
        for (String status : new String[] {"DONE", "PENDING", "PENDING"}) {
            jdbc.update(
                    "insert into work_unit (stage, iteration_id, unit_key, payload, status) values"
                            + " ('JUDGE', ?, ?, '{}', ?)",
                    judging,
                    "iteration-" + judging + "/JUDGING/" + java.util.UUID.randomUUID(),
                    status);
        }
    }

    /** The runs here have only the configuration the meters read: other tests, which read all of it, must not see them. */
    @AfterEach
    void removeTheRuns() {
        runs.forEach(run -> jdbc.update("delete from run where id = ?", run));
        jdbc.update("delete from model_generation where id = ?", m0);
    }

    @Test
    void gaugesShowTheLatestRunOfEachMethodPerIteration() {
        new RunGauges(figures).bindTo(registry);

        assertThat(gauge("tsr.run.score.gap", "iteration", "0", "dataset", "D1"))
                .isEqualTo(2.5);
        assertThat(gauge("tsr.run.score.chosen", "iteration", "0", "dataset", "D1"))
                .isEqualTo(4.5);
        assertThat(gauge("tsr.run.score.rejected", "iteration", "0", "dataset", "D1"))
                .isEqualTo(2.0);
        assertThat(gauge("tsr.run.pairs", "iteration", "0", "dataset", "D2")).isZero();
        assertThat(registry.find("tsr.run.score.gap").tag("dataset", "D2").gauge())
                .as("a dataset without pairs has no means")
                .isNull();
        assertThat(gauge("tsr.run.evaluation.win.rate", "iteration", "0")).isEqualTo(0.625);
        assertThat(gauge("tsr.run.evaluation.oracle.score", "iteration", "0")).isEqualTo(3.5);
        assertThat(gauge("tsr.run.evaluation.pairwise.win.rate", "iteration", "0"))
                .isEqualTo(0.75);
        assertThat(gauge("tsr.run.evaluation.pairwise.length.controlled.win.rate", "iteration", "0"))
                .isEqualTo(0.6);
        assertThat(gauge("tsr.run.judge.agreement", "iteration", "0")).isEqualTo(0.75);
        assertThat(gauge("tsr.run.pairs.oracle.agreement", "iteration", "0", "dataset", "D1"))
                .isEqualTo(0.875);
        assertThat(registry.find("tsr.run.evaluation.win.rate")
                        .tag("iteration", "1")
                        .gauge())
                .as("no evaluation section yet")
                .isNull();
        assertThat(gauge("tsr.run.phase.seconds", "iteration", "0", "phase", "generating"))
                .isEqualTo(12.5);
        assertThat(gauge("tsr.run.iterations", "state", "planned"))
                .as("the latest run's plan")
                .isEqualTo(3);
        assertThat(gauge("tsr.run.iterations", "state", "succeeded")).isEqualTo(1);
        assertThat(registry.get("tsr.run.iterations")
                        .tags("method", "tsr", "judge_role", "oracle", "state", "planned")
                        .gauge()
                        .value())
                .as("the latest run judged by the oracle has its own series")
                .isEqualTo(5);
        assertThat(gauge("tsr.run.phase.progress", "phase", "judging")).isEqualTo(1.0 / 3);
        assertThat(registry.get("tsr.runs")
                        .tag("method", "tsr")
                        .tag("status", "running")
                        .gauge()
                        .value())
                .isEqualTo(3);
        assertThat(registry.get("tsr.runs")
                        .tag("method", "sr")
                        .tag("status", "failed")
                        .gauge()
                        .value())
                .as("every method and status is shown")
                .isEqualTo(jdbc.queryForObject(
                        "select count(*) from run where method = 'SR' and status = 'FAILED'", Double.class));
    }

    @Test
    void aRefreshChangesTheValueOfARowThatStaysWithoutReplacingItsMeter() {
        RunGauges gauges = new RunGauges(figures);
        gauges.bindTo(registry);
        io.micrometer.core.instrument.Gauge progress =
                registry.get("tsr.run.phase.progress").tag("phase", "judging").gauge();
        assertThat(progress.value()).isEqualTo(1.0 / 3);

        jdbc.update("update work_unit set status = 'DONE' where iteration_id = ?", judging);
        gauges.refresh();

        // replacing the meter instead (remove, then register again) can show a scrape the series twice
        assertThat(registry.get("tsr.run.phase.progress")
                        .tag("phase", "judging")
                        .gauge())
                .isSameAs(progress);
        assertThat(progress.value()).isEqualTo(1.0);
    }

    @Test
    void phaseDurationsRecordEachPhaseOnceWhenItEndsAndNotThoseEndedBeforeTheFirstLook() {
        PhaseDurations durations = new PhaseDurations(figures);
        durations.bindTo(registry);
        durations.look();
        assertThat(registry.find("tsr.run.phase.duration").timers()).isEmpty();

        jdbc.update(
                "update iteration set timings = '{\"GENERATING\": 7.25}', updated_at = now() where id = ?", judging);
        durations.look();
        durations.look();

        Timer generating = registry.get("tsr.run.phase.duration")
                .tag("method", "tsr")
                .tag("phase", "generating")
                .timer();
        assertThat(generating.count()).isEqualTo(1);
        assertThat(generating.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7250);
    }

    private double gauge(String name, String... tags) {
        return registry.get(name)
                .tag("method", "tsr")
                .tag("judge_role", "self")
                .tags(tags)
                .gauge()
                .value();
    }

    private long run(long m0, String configuration) {
        long run = jdbc.queryForObject(
                "insert into run (name, method, configuration, status, initial_generation_id)"
                        + " values ('metrics', 'TSR', cast(? as jsonb), 'RUNNING', ?) returning id",
                Long.class,
                configuration,
                m0);
        runs.add(run);
        return run;
    }

    private long iteration(
            long run, int index, String phase, String status, long policy, String timings, String diagnostics) {
        return jdbc.queryForObject(
                "insert into iteration (run_id, iteration_index, phase, status, policy_generation_id, timings,"
                        + " diagnostics) values (?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb)) returning id",
                Long.class,
                run,
                index,
                phase,
                status,
                policy,
                timings,
                diagnostics);
    }
}
