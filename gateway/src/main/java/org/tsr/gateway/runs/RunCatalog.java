package org.tsr.gateway.runs;

import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.tsr.gateway.orchestration.PhasePlan;
import org.tsr.gateway.orchestration.RunConductor;
import org.tsr.gateway.settings.RunSettings;
import org.tsr.gateway.settings.RunSettingsJson;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.run.IterationStatus;
import org.tsr.store.run.Run;
import org.tsr.store.run.RunRepository;
import org.tsr.store.run.RunStatus;
import org.tsr.store.workqueue.StageCounts;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.tasks.Oracle;
import tools.jackson.databind.json.JsonMapper;

/** Creates, lists and steers runs; the conductor moves them forward. */
@Service
public class RunCatalog {

    private final RunRepository runs;
    private final IterationRepository iterations;
    private final ModelGenerationRepository generations;
    private final PromptSetRepository promptSets;
    private final PromptRepository prompts;
    private final WorkQueue queue;
    private final RunConductor conductor;
    private final RunSettingsJson settingsJson;
    private final RunRequestChecks checks;
    private final RunJudges judges;
    private final ReadyGenerations readyGenerations;
    private final JsonMapper json = JsonMapper.builder().build();

    RunCatalog(
            RunRepository runs,
            IterationRepository iterations,
            ModelGenerationRepository generations,
            PromptSetRepository promptSets,
            PromptRepository prompts,
            WorkQueue queue,
            RunConductor conductor,
            RunSettingsJson settingsJson,
            RunRequestChecks checks,
            RunJudges judges,
            ReadyGenerations readyGenerations) {
        this.runs = runs;
        this.iterations = iterations;
        this.generations = generations;
        this.promptSets = promptSets;
        this.prompts = prompts;
        this.queue = queue;
        this.conductor = conductor;
        this.settingsJson = settingsJson;
        this.checks = checks;
        this.judges = judges;
        this.readyGenerations = readyGenerations;
    }

    /** Registers the run and starts its first iteration, together or not at all. */
    @Transactional
    public RunView create(CreateRunRequest request) {
        List<Prompt> held = prompts.findByPromptSetIdAndSplitOrderByPosition(request.promptSetId(), PromptSplit.EVAL);
        boolean gradablePrompts = held.stream().anyMatch(prompt -> Oracle.canGrade(prompt.getReferenceAnswer()));
        RunSettings settings = request.toSettings(gradablePrompts, !held.isEmpty());
        if ((request.initialGenerationId() == null) == (request.bootstrap() == null)) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "initialGenerationId",
                    "give either initialGenerationId (start from an existing model) or bootstrap (train M0 first)");
        }
        if (!promptSets.existsById(request.promptSetId())) {
            throw new RunProblem(
                    HttpStatus.NOT_FOUND, "promptSetId", "prompt set " + request.promptSetId() + " does not exist");
        }
        checks.pairwiseTemplate(settings.evaluation().judgeTemplate());
        boolean pairwiseAsked = settings.evaluation().judgeGenerationId() != null
                && !Boolean.FALSE.equals(request.evaluation().enabled());
        if (pairwiseAsked && held.isEmpty()) {
            throw new RunProblem(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "evaluation.enabled",
                    "prompt set " + request.promptSetId() + " has no EVAL prompts to evaluate on");
        }
        if (settings.evaluates() && !settings.evaluatesPairwise() && !gradablePrompts) {
            throw new RunProblem(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "evaluation.enabled",
                    "prompt set " + request.promptSetId()
                            + " has no EVAL prompts with reference answers to evaluate on; name a judge in"
                            + " evaluation.judgeGenerationId to evaluate pairwise against M0 instead");
        }
        for (int chunk = 0; chunk < settings.iterations(); chunk++) {
            if (prompts.findByPromptSetIdAndSplitAndChunkOrderByPosition(
                            request.promptSetId(), PromptSplit.ITERATION, chunk)
                    .isEmpty()) {
                throw new RunProblem(
                        HttpStatus.UNPROCESSABLE_ENTITY,
                        "iterations",
                        "prompt set " + request.promptSetId() + " has no ITERATION prompts in chunk " + chunk
                                + ", which iteration " + chunk + " would sample on");
            }
        }
        checks.sampling(settings);
        checks.trainer(settings.trainerOrDefaults());
        checks.hyperparameters("dpo", settings.dpo());
        if (settings.bootstrap() != null) {
            checks.hyperparameters(
                    "bootstrap.hyperparameters", settings.bootstrap().hyperparameters());
        }
        checks.judgeTemplate(settings.judge().template());
        settings = judges.resolve(settings);
        long initialGenerationId = settings.bootstrap() == null
                ? readyGenerations
                        .requireTrainable(request.initialGenerationId(), "initialGenerationId")
                        .getId()
                : registerM0(request.name(), settings.bootstrap());
        Run run =
                runs.save(new Run(request.name(), request.method(), initialGenerationId, settingsJson.write(settings)));
        conductor.startIteration(run.getId());
        return view(run.getId());
    }

    /** Checks the bootstrap spec and registers the M0 it will train, PENDING until the trainer is done. */
    private long registerM0(String runName, RunSettings.Bootstrap bootstrap) {
        ModelGeneration base =
                readyGenerations.requireTrainable(bootstrap.baseGenerationId(), "bootstrap.baseGenerationId");
        for (String splitName : bootstrap.splits()) {
            PromptSplit split;
            try {
                split = PromptSplit.valueOf(splitName.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RunProblem(
                        HttpStatus.BAD_REQUEST,
                        "bootstrap.splits",
                        "split '" + splitName + "' does not exist; use IFT, EFT, ITERATION or EVAL");
            }
            if (prompts.findByPromptSetIdAndSplitOrderByPosition(bootstrap.promptSetId(), split)
                    .isEmpty()) {
                throw new RunProblem(
                        HttpStatus.UNPROCESSABLE_ENTITY,
                        "bootstrap.splits",
                        "prompt set " + bootstrap.promptSetId() + " has no " + split + " prompts to train M0 on");
            }
        }
        return generations
                .save(ModelGeneration.trainedFrom(base, runName + "/M0", GenerationKind.SFT, null, null))
                .getId();
    }

    @Transactional(readOnly = true)
    public List<RunView> list() {
        return runs.findAll().stream().map(run -> view(run.getId())).toList();
    }

    @Transactional(readOnly = true)
    public RunView view(long runId) {
        Run run = find(runId);
        List<RunView.IterationView> views = new ArrayList<>();
        for (Iteration iteration : iterations.findByRunIdOrderByIndex(runId)) {
            StageCounts counts = queue.countsByKeyPrefix(
                    iteration.getId(), PhasePlan.unitKeyPrefix(iteration.getId(), iteration.getPhase()));
            views.add(new RunView.IterationView(
                    iteration.getIndex(),
                    iteration.getPhase().name(),
                    iteration.getStatus().name(),
                    iteration.getPolicyGenerationId(),
                    iteration.getFutureGenerationId(),
                    iteration.getNextGenerationId(),
                    iteration.getPromptChunk(),
                    new RunView.Progress(counts.done(), counts.total(), counts.running(), counts.failed()),
                    json.readTree(iteration.getTimings()),
                    json.readTree(iteration.getDiagnostics())));
        }
        return new RunView(
                run.getId(),
                run.getName(),
                run.getMethod().name(),
                run.getStatus().name(),
                run.getFailureReason(),
                run.getInitialGenerationId(),
                settingsJson.read(run),
                run.getCreatedAt(),
                run.getStartedAt(),
                run.getFinishedAt(),
                views);
    }

    /**
     * Manual mode: starts the next iteration of a run that waits for it. Serialised with the conductor and with other
     * calls, so of two calls at once one starts the iteration and the other gets 409.
     */
    @Transactional
    public RunView nextIteration(long runId) {
        conductor.lockAgainstSteps();
        Run run = find(runId);
        if (run.getStatus() != RunStatus.PAUSED) {
            throw new RunProblem(
                    HttpStatus.CONFLICT,
                    null,
                    "run " + runId + " is " + run.getStatus() + "; only a PAUSED run starts its next iteration");
        }
        conductor.startIteration(runId);
        return view(runId);
    }

    /** Stops a run: its current iteration is cancelled and its units not yet started are ended. */
    @Transactional
    public RunView cancel(long runId) {
        conductor.lockAgainstSteps();
        Run run = find(runId);
        if (run.getStatus() == RunStatus.SUCCEEDED || run.getStatus() == RunStatus.CANCELLED) {
            throw new RunProblem(HttpStatus.CONFLICT, null, "run " + runId + " is already " + run.getStatus());
        }
        for (Iteration iteration : iterations.findByRunIdOrderByIndex(runId)) {
            if (iteration.getStatus() == IterationStatus.RUNNING || iteration.getStatus() == IterationStatus.PENDING) {
                iteration.cancel();
                iterations.save(iteration);
                queue.cancelPending(iteration.getId());
            }
        }
        run.finish(RunStatus.CANCELLED);
        runs.save(run);
        return view(runId);
    }

    /** Continues a failed run: the failed units of its current phase get fresh attempts. */
    @Transactional
    public RunView resume(long runId) {
        conductor.lockAgainstSteps();
        Run run = find(runId);
        if (run.getStatus() != RunStatus.FAILED) {
            throw new RunProblem(
                    HttpStatus.CONFLICT,
                    null,
                    "run " + runId + " is " + run.getStatus() + "; only a FAILED run can resume");
        }
        List<Iteration> all = iterations.findByRunIdOrderByIndex(runId);
        Iteration current = all.get(all.size() - 1);
        queue.retryFailed(current.getId(), PhasePlan.unitKeyPrefix(current.getId(), current.getPhase()));
        current.resume();
        iterations.save(current);
        run.resume();
        runs.save(run);
        return view(runId);
    }

    private Run find(long runId) {
        return runs.findById(runId)
                .orElseThrow(() -> new RunProblem(HttpStatus.NOT_FOUND, "id", "run " + runId + " does not exist"));
    }
}
