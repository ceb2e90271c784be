package org.tsr.gateway.orchestration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.tsr.contract.pairs.PairDataset;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.contract.training.DatasetSpec;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.contract.work.GenerateWork;
import org.tsr.contract.work.JudgeWork;
import org.tsr.contract.work.PairWork;
import org.tsr.contract.work.PairwiseEvaluationWork;
import org.tsr.contract.work.TrainWork;
import org.tsr.gateway.settings.RunSettings;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.IterationPhase;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.run.Run;
import org.tsr.store.run.RunMethod;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.store.training.TrainingStatus;
import org.tsr.store.workqueue.NewWorkUnit;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.store.workqueue.WorkUnit;
import org.tsr.tasks.Oracle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates the work units of a phase. Every unit has a key made of the iteration, the phase and its slice, so starting
 * a phase twice (a gateway restarted mid-way) enqueues nothing twice.
 */
@Component
class PhaseWork {

    private final WorkQueue queue;
    private final PromptRepository prompts;
    private final ResponseRepository responses;
    private final ModelGenerationRepository generations;
    private final TrainingJobRepository trainingJobs;
    private final IterationRepository iterations;
    private final JsonMapper json = JsonMapper.builder().build();

    PhaseWork(
            WorkQueue queue,
            PromptRepository prompts,
            ResponseRepository responses,
            ModelGenerationRepository generations,
            TrainingJobRepository trainingJobs,
            IterationRepository iterations) {
        this.iterations = iterations;
        this.queue = queue;
        this.prompts = prompts;
        this.responses = responses;
        this.generations = generations;
        this.trainingJobs = trainingJobs;
    }

    /** Enqueues the phase's units; returns a generation the phase trains, if it trains one. */
    ModelGeneration start(Run run, RunSettings settings, Iteration iteration, IterationPhase phase) {
        String keys = PhasePlan.unitKeyPrefix(iteration.getId(), phase);
        long policy = iteration.getPolicyGenerationId();
        switch (phase) {
            case BOOTSTRAPPING -> bootstrap(run, settings, iteration, keys);
            case GENERATING -> {
                generate(settings, iteration, keys + "policy/", policy, ResponsePurpose.POLICY);
                if (run.getMethod() == RunMethod.TSR) {
                    generate(
                            settings,
                            iteration,
                            keys + "anchor/",
                            run.getInitialGenerationId(),
                            ResponsePurpose.ANCHOR);
                }
            }
            case JUDGING -> {
                judge(settings, iteration, keys + "policy/", ResponsePurpose.POLICY);
                if (run.getMethod() == RunMethod.TSR) {
                    judge(settings, iteration, keys + "anchor/", ResponsePurpose.ANCHOR);
                }
            }
            case PAIRING ->
                pair(settings, iteration, keys, run.getMethod() == RunMethod.SR ? PairDataset.SR : PairDataset.D1);
            case TRAINING_FUTURE -> {
                return train(run, settings, iteration, keys, PairDataset.D1, GenerationKind.FUTURE);
            }
            case GENERATING_FUTURE ->
                generate(
                        settings,
                        iteration,
                        keys + "future/",
                        iteration.getFutureGenerationId(),
                        ResponsePurpose.FUTURE);
            case JUDGING_FUTURE -> judge(settings, iteration, keys + "future/", ResponsePurpose.FUTURE);
            case PAIRING_FUTURE -> pair(settings, iteration, keys, PairDataset.D2);
            case TRAINING -> {
                PairDataset dataset = run.getMethod() == RunMethod.SR ? PairDataset.SR : PairDataset.D2;
                return train(run, settings, iteration, keys, dataset, GenerationKind.POLICY);
            }
            case EVALUATING -> {
                if (settings.evaluates()) {
                    evaluate(settings, iteration, keys + "next/", iteration.getNextGenerationId());
                    if (iteration.getIndex() == 0) {
                        evaluate(settings, iteration, keys + "initial/", policy);
                    }
                }
            }
            case JUDGING_EVALUATION -> {
                if (settings.evaluatesPairwise()) {
                    comparePairwise(run, settings, iteration, keys);
                }
            }
            default -> throw new IllegalArgumentException("phase " + phase + " creates no work");
        }
        return null;
    }

    private void generate(
            RunSettings settings, Iteration iteration, String keys, long generationId, ResponsePurpose purpose) {
        List<Prompt> chunk = prompts.findByPromptSetIdAndSplitAndChunkOrderByPosition(
                settings.promptSetId(), PromptSplit.ITERATION, iteration.getPromptChunk());
        // each iteration and purpose samples with its own seed, reproducibly
        SamplingSettings sampling =
                settings.sampling().toSettings(settings.samplesPerPrompt(), seed(settings, iteration, purpose));
        enqueueGeneration(settings, iteration, keys, generationId, purpose, chunk, sampling);
    }

    /**
     * One greedy response per held-out prompt with a reference answer, for the oracle to grade; per held-out prompt,
     * reference or not, when a judge compares them pairwise.
     */
    private void evaluate(RunSettings settings, Iteration iteration, String keys, long generationId) {
        List<Prompt> held =
                prompts.findByPromptSetIdAndSplitOrderByPosition(settings.promptSetId(), PromptSplit.EVAL).stream()
                        .filter(prompt -> settings.evaluatesPairwise() || Oracle.canGrade(prompt.getReferenceAnswer()))
                        .toList();
        SamplingSettings greedy = SamplingSettings.greedy(settings.evaluation().maxTokens())
                .withSeed(settings.sampling().seed());
        enqueueGeneration(settings, iteration, keys, generationId, ResponsePurpose.EVAL, held, greedy);
    }

    private void enqueueGeneration(
            RunSettings settings,
            Iteration iteration,
            String keys,
            long generationId,
            ResponsePurpose purpose,
            List<Prompt> promptList,
            SamplingSettings sampling) {
        List<Long> ids = promptList.stream().map(Prompt::getId).toList();
        List<NewWorkUnit> units = new ArrayList<>();
        int slice = 0;
        for (int from = 0; from < ids.size(); from += settings.promptsPerUnit()) {
            GenerateWork work = new GenerateWork(
                    iteration.getId(),
                    generationId,
                    purpose,
                    ids.subList(from, Math.min(ids.size(), from + settings.promptsPerUnit())),
                    sampling,
                    settings.chat());
            units.add(unit(WorkStage.GENERATE, iteration, keys + slice++, work));
        }
        queue.enqueueAll(units);
    }

    private void judge(RunSettings settings, Iteration iteration, String keys, ResponsePurpose purpose) {
        List<Long> ids =
                responses
                        .findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(iteration.getId(), purpose)
                        .stream()
                        .map(Response::getId)
                        .toList();
        List<NewWorkUnit> units = new ArrayList<>();
        int slice = 0;
        for (int from = 0; from < ids.size(); from += settings.responsesPerUnit()) {
            JudgeWork work = new JudgeWork(
                    settings.judge().judgeFor(iteration.getPolicyGenerationId()),
                    ids.subList(from, Math.min(ids.size(), from + settings.responsesPerUnit())),
                    purpose.name(),
                    settings.judgeSamples(),
                    settings.judge().temperature(),
                    settings.judge().maxTokens(),
                    seed(settings, iteration, purpose),
                    settings.judge().template(),
                    settings.judge().accuracy(),
                    settings.judge().expectedScore());
            units.add(unit(WorkStage.JUDGE, iteration, keys + slice++, work));
        }
        queue.enqueueAll(units);
    }

    /**
     * EVALUATE units comparing each evaluation response of the generation this iteration trained with M0's response
     * to the same prompt (written in the run's first iteration), judged greedily in both orders.
     */
    private void comparePairwise(Run run, RunSettings settings, Iteration iteration, String keys) {
        Iteration first = iterations.findByRunIdAndIndex(run.getId(), 0).orElseThrow();
        Map<Long, Long> initialByPrompt = new HashMap<>();
        for (Response response : evaluationResponses(first)) {
            if (response.getGenerationId().equals(run.getInitialGenerationId())) {
                initialByPrompt.put(response.getPromptId(), response.getId());
            }
        }
        List<PairwiseEvaluationWork.Comparison> comparisons = new ArrayList<>();
        for (Response response : evaluationResponses(iteration)) {
            Long reference = initialByPrompt.get(response.getPromptId());
            if (response.getGenerationId().equals(iteration.getNextGenerationId()) && reference != null) {
                comparisons.add(new PairwiseEvaluationWork.Comparison(response.getId(), reference));
            }
        }
        List<NewWorkUnit> units = new ArrayList<>();
        int slice = 0;
        for (int from = 0; from < comparisons.size(); from += settings.responsesPerUnit()) {
            PairwiseEvaluationWork work = new PairwiseEvaluationWork(
                    iteration.getId(),
                    settings.evaluation().judgeGenerationId(),
                    comparisons.subList(from, Math.min(comparisons.size(), from + settings.responsesPerUnit())),
                    0.0,
                    settings.evaluation().judgeMaxTokens(),
                    seed(settings, iteration, ResponsePurpose.EVAL),
                    settings.evaluation().judgeTemplate());
            units.add(unit(WorkStage.EVALUATE, iteration, keys + slice++, work));
        }
        queue.enqueueAll(units);
    }

    private List<Response> evaluationResponses(Iteration iteration) {
        return responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.EVAL);
    }

    private void pair(RunSettings settings, Iteration iteration, String keys, PairDataset dataset) {
        PairWork work = new PairWork(
                iteration.getId(),
                dataset,
                settings.judge().judgeFor(iteration.getPolicyGenerationId()),
                iteration.getPolicyGenerationId(),
                settings.chat());
        queue.enqueue(unit(WorkStage.PAIR, iteration, keys + dataset.name(), work));
    }

    /** The SFT job that trains the run's M0, registered ahead as the first iteration's policy. */
    private void bootstrap(Run run, RunSettings settings, Iteration iteration, String keys) {
        RunSettings.Bootstrap bootstrap = settings.bootstrap();
        String datasetJson = json.writeValueAsString(DatasetSpec.prompts(bootstrap.promptSetId(), bootstrap.splits()));
        TrainingSettings hyperparameters = bootstrap.hyperparameters().withChatUnlessSet(settings.chat());
        TrainingJob job = trainingJobs.save(
                TrainingJob.sft(bootstrap.baseGenerationId(), datasetJson, json.writeValueAsString(hyperparameters))
                        .forIteration(run.getId(), iteration.getId())
                        .producing(iteration.getPolicyGenerationId())
                        .trainedOn(json.writeValueAsString(settings.trainerOrDefaults())));
        queue.enqueue(unit(WorkStage.TRAIN, iteration, keys + "SFT", new TrainWork(job.getId())));
    }

    /**
     * Registers the generation to be trained (PENDING, its parent the iteration's policy) and its DPO job, with the
     * policy as both the starting point and the reference, and enqueues the job.
     */
    private ModelGeneration train(
            Run run, RunSettings settings, Iteration iteration, String keys, PairDataset dataset, GenerationKind kind) {
        ModelGeneration policy =
                generations.findById(iteration.getPolicyGenerationId()).orElseThrow();
        String name = kind == GenerationKind.FUTURE
                ? "run-" + run.getId() + "/M" + iteration.getIndex() + "-future"
                : "run-" + run.getId() + "/M" + (iteration.getIndex() + 1);
        ModelGeneration output =
                generations.save(ModelGeneration.trainedFrom(policy, name, kind, run.getId(), iteration.getId()));
        String datasetJson = json.writeValueAsString(DatasetSpec.pairs(iteration.getId(), dataset.name()));
        // the trainer must format prompts as the generator sampled them
        TrainingSettings hyperparameters = settings.dpo().withChatUnlessSet(settings.chat());
        TrainingJob job = trainingJobs.save(
                TrainingJob.dpo(policy.getId(), policy.getId(), datasetJson, json.writeValueAsString(hyperparameters))
                        .forIteration(run.getId(), iteration.getId())
                        .producing(output.getId())
                        .trainedOn(json.writeValueAsString(settings.trainerOrDefaults())));
        queue.enqueue(unit(WorkStage.TRAIN, iteration, keys + kind.name(), new TrainWork(job.getId())));
        return output;
    }

    private NewWorkUnit unit(WorkStage stage, Iteration iteration, String key, Object work) {
        return NewWorkUnit.of(stage, iteration.getId(), json.writeValueAsString(work))
                .withKey(key);
    }

    /** Each iteration and purpose samples and judges with a seed of its own. */
    private static long seed(RunSettings settings, Iteration iteration, ResponsePurpose purpose) {
        return settings.sampling().seed() + 1000L * iteration.getIndex() + purpose.ordinal();
    }

    /**
     * Ends the training job of a TRAIN unit that failed for good, and the generation it was to produce, when the
     * trainer could not: its last attempt died with the process. A job that already ended keeps its outcome.
     */
    void failTrainingJobOf(WorkUnit unit, String error) {
        if (unit.stage() != WorkStage.TRAIN) {
            return;
        }
        TrainWork work = json.readValue(unit.payload(), TrainWork.class);
        if (work.trainingJobId() == null) {
            return;
        }
        trainingJobs.findById(work.trainingJobId()).ifPresent(job -> {
            if (job.getStatus() == TrainingStatus.PENDING || job.getStatus() == TrainingStatus.RUNNING) {
                job.fail(error);
                trainingJobs.save(job);
                if (job.getOutputGenerationId() != null) {
                    generations.findById(job.getOutputGenerationId()).ifPresent(generation -> {
                        generation.markFailed();
                        generations.save(generation);
                    });
                }
            }
        });
    }
}
