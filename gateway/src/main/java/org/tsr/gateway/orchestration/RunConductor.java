package org.tsr.gateway.orchestration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tsr.gateway.evaluation.IterationEvaluation;
import org.tsr.gateway.settings.RunSettings;
import org.tsr.gateway.settings.RunSettingsJson;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.IterationPhase;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.run.IterationStatus;
import org.tsr.store.run.Run;
import org.tsr.store.run.RunRepository;
import org.tsr.store.run.RunStatus;
import org.tsr.store.workqueue.StageCounts;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkUnit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Moves runs forward. On every tick (at once when a work unit ends, else every {@code tsr.orchestration.tick}), for each running run, it looks at the current phase of the current iteration:
 * once all of the phase's work units are done it starts the next phase (creating its units); a unit that failed for
 * good fails the run with that unit's error. Everything it knows lives in the store and each step is one transaction,
 * so a gateway restarted at any moment carries on where it was. A PostgreSQL advisory lock lets one gateway replica
 * conduct at a time.
 */
@Component
public class RunConductor {

    private static final Logger log = LoggerFactory.getLogger(RunConductor.class);
    private static final long ADVISORY_LOCK = 0x7473_725F_636FL; // "tsr_co"

    private final RunRepository runs;
    private final IterationRepository iterations;
    private final ModelGenerationRepository generations;
    private final WorkQueue queue;
    private final PhaseWork phaseWork;
    private final RunSettingsJson settingsJson;
    private final IterationEvaluation evaluation;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json = JsonMapper.builder().build();

    RunConductor(
            RunRepository runs,
            IterationRepository iterations,
            ModelGenerationRepository generations,
            WorkQueue queue,
            PhaseWork phaseWork,
            RunSettingsJson settingsJson,
            IterationEvaluation evaluation,
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager) {
        this.runs = runs;
        this.iterations = iterations;
        this.generations = generations;
        this.queue = queue;
        this.phaseWork = phaseWork;
        this.settingsJson = settingsJson;
        this.evaluation = evaluation;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Moves every running run as far as its finished work allows; {@link ConductorLoop} calls it. */
    public void tick() {
        for (Run run : runs.findByStatusOrderById(RunStatus.RUNNING)) {
            try {
                while (Boolean.TRUE.equals(transactions.execute(status -> step(run.getId())))) {
                    // a phase with nothing to wait for (no units) passes at once
                }
            } catch (TransientDataAccessException | DataAccessResourceFailureException e) {
                // the store is briefly unreachable or busy: try again on the next tick, the run is fine
                log.warn("Run {} waits for the store: {}", run.getId(), e.getMessage());
            } catch (RuntimeException e) {
                log.error("Run {} could not advance: {}", run.getId(), e.getMessage(), e);
                transactions.executeWithoutResult(status -> failRun(run.getId(), e.getMessage()));
            }
        }
    }

    /**
     * Waits for the conductor's lock inside the caller's transaction, so a change to a run (cancel, resume) never
     * interleaves with a step that is entering a phase: the step either finished before or sees the change.
     */
    public void lockAgainstSteps() {
        jdbc.sql("select pg_advisory_xact_lock(?)")
                .params(ADVISORY_LOCK)
                .query()
                .singleRow();
    }

    /** Starts a run (or its next iteration in manual mode) in one transaction. */
    public void startIteration(long runId) {
        transactions.executeWithoutResult(status -> {
            Run run = runs.findById(runId).orElseThrow();
            RunSettings settings = settingsJson.read(run);
            List<Iteration> done = iterations.findByRunIdOrderByIndex(runId);
            int index = done.size();
            if (index >= settings.iterations()) {
                throw new IllegalStateException("run " + runId + " has run all of its " + index + " iterations");
            }
            long policy = index == 0
                    ? run.getInitialGenerationId()
                    : done.get(index - 1).getNextGenerationId();
            Iteration iteration = iterations.save(new Iteration(runId, index, policy, index));
            run.start();
            runs.save(run);
            enter(run, settings, iteration, PhasePlan.first(settings.bootstrap() != null, index));
        });
    }

    /** Advances one run by at most one phase; true if it moved. */
    private boolean step(long runId) {
        if (!jdbc.sql("select pg_try_advisory_xact_lock(?)")
                .params(ADVISORY_LOCK)
                .query(Boolean.class)
                .single()) {
            return false;
        }
        Run run = runs.findById(runId).orElseThrow();
        if (run.getStatus() != RunStatus.RUNNING) {
            return false;
        }
        List<Iteration> all = iterations.findByRunIdOrderByIndex(runId);
        if (all.isEmpty()) {
            return false;
        }
        Iteration iteration = all.get(all.size() - 1);
        if (iteration.getStatus() != IterationStatus.RUNNING) {
            return false;
        }
        String keys = PhasePlan.unitKeyPrefix(iteration.getId(), iteration.getPhase());
        StageCounts counts = queue.countsByKeyPrefix(iteration.getId(), keys);
        if (counts.failed() > 0) {
            Optional<WorkUnit> failed = queue.firstFailed(iteration.getId(), keys);
            String error = failed.map(WorkUnit::lastError).orElse("unknown");
            // a trainer killed on its last attempt never ended its job; the job ends here, with the run
            failed.ifPresent(unit -> phaseWork.failTrainingJobOf(unit, error));
            iteration.fail();
            iterations.save(iteration);
            failRun(runId, "iteration " + iteration.getIndex() + ", phase " + iteration.getPhase() + ": " + error);
            return false;
        }
        if (!counts.settled()) {
            return false;
        }
        RunSettings settings = settingsJson.read(run);
        IterationPhase next = PhasePlan.after(run.getMethod(), iteration.getPhase());
        enter(run, settings, iteration, next);
        if (next == IterationPhase.DONE) {
            finishIteration(run, settings, iteration);
        }
        return true;
    }

    private void enter(Run run, RunSettings settings, Iteration iteration, IterationPhase phase) {
        recordPhaseTime(iteration);
        iteration.enter(phase);
        if (phase != IterationPhase.DONE) {
            ModelGeneration trained = phaseWork.start(run, settings, iteration, phase);
            if (phase == IterationPhase.TRAINING_FUTURE) {
                iteration.useFutureGeneration(trained.getId());
            } else if (phase == IterationPhase.TRAINING) {
                iteration.useNextGeneration(trained.getId());
            }
        }
        iterations.save(iteration);
        log.info("Run {} iteration {} entered {}", run.getId(), iteration.getIndex(), phase);
    }

    /** Adds the wall time of the phase the iteration is leaving to its timings, in seconds per phase. */
    private void recordPhaseTime(Iteration iteration) {
        if (iteration.getPhaseStartedAt() == null || iteration.getPhase() == IterationPhase.PENDING) {
            return;
        }
        double seconds =
                Duration.between(iteration.getPhaseStartedAt(), Instant.now()).toMillis() / 1000.0;
        ObjectNode timings = (ObjectNode) json.readTree(iteration.getTimings());
        timings.put(iteration.getPhase().name(), seconds);
        iteration.recordTimings(json.writeValueAsString(timings));
    }

    private void finishIteration(Run run, RunSettings settings, Iteration iteration) {
        RunSettings.JudgeRole judgeRole = settings.judge().role() == null
                ? RunSettings.JudgeRole.SELF
                : settings.judge().role();
        evaluation.recordJudgeAgreement(
                iteration.getId(),
                settings.judge().judgeFor(iteration.getPolicyGenerationId()),
                judgeRole.name().toLowerCase(java.util.Locale.ROOT));
        if (settings.evaluates()) {
            evaluation.recordEvaluation(
                    run.getId(),
                    iteration.getId(),
                    iteration.getIndex() == 0,
                    run.getInitialGenerationId(),
                    iteration.getNextGenerationId());
        }
        if (settings.evaluatesPairwise()) {
            evaluation.recordPairwise(
                    iteration.getId(),
                    settings.evaluation().judgeGenerationId(),
                    run.getInitialGenerationId(),
                    iteration.getNextGenerationId());
        }
        if (iteration.getFutureGenerationId() != null) {
            generations.findById(iteration.getFutureGenerationId()).ifPresent(future -> {
                if (future.getStatus() == GenerationStatus.READY) {
                    future.discard();
                    generations.save(future);
                }
            });
        }
        boolean last = iteration.getIndex() + 1 >= settings.iterations();
        if (last) {
            run.finish(RunStatus.SUCCEEDED);
            runs.save(run);
        } else if (settings.advance() == RunSettings.Advance.MANUAL) {
            run.pause();
            runs.save(run);
        } else {
            Iteration nextIteration = iterations.save(new Iteration(
                    run.getId(), iteration.getIndex() + 1, iteration.getNextGenerationId(), iteration.getIndex() + 1));
            enter(run, settings, nextIteration, PhasePlan.first(false, nextIteration.getIndex()));
        }
    }

    private void failRun(long runId, String reason) {
        runs.findById(runId).ifPresent(run -> {
            run.fail(reason);
            runs.save(run);
        });
        log.warn("Run {} failed: {}", runId, reason);
    }
}
