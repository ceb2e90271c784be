package org.tsr.gateway.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tsr.gateway.runs.CreateRunRequest;
import org.tsr.gateway.runs.RunView;
import org.tsr.gateway.settings.RunSettings;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.run.RunMethod;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives runs through their phases with {@link StageStandIns} doing the stage services' part: each unit the conductor
 * creates is claimed, its results (responses, judgments, a trained generation) written, and completed.
 */
class RunConductorTest extends ConductorTestSupport {

    @Autowired
    WorkQueue queue;

    @Autowired
    TrainingJobRepository trainingJobs;

    final JsonMapper json = JsonMapper.builder().build();

    CreateRunRequest request(RunMethod method, int iterations) {
        return request(method, iterations, null);
    }

    @Test
    void srIterationGeneratesJudgesPairsAndTrainsTheNextPolicy() {
        RunView run = catalog.create(request(RunMethod.SR, 1));
        assertThat(phase(run.id())).isEqualTo("GENERATING");

        List<ClaimedUnit> generate = workers.generate();
        assertThat(generate)
                .singleElement()
                .satisfies(unit -> assertThat(
                                StageStandIns.payload(unit).get("purpose").asString())
                        .isEqualTo("POLICY"));
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("JUDGING");

        List<ClaimedUnit> judge = workers.judge();
        assertThat(StageStandIns.payload(judge.get(0)).get("responseIds")).hasSize(4);
        assertThat(StageStandIns.payload(judge.get(0)).get("judgeGenerationId").asLong())
                .isEqualTo(m0.getId());
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("PAIRING");

        assertThat(workers.completeAll(WorkStage.PAIR))
                .singleElement()
                .satisfies(unit -> assertThat(
                                StageStandIns.payload(unit).get("dataset").asString())
                        .isEqualTo("SR"));
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("TRAINING");

        List<ClaimedUnit> train = workers.train();
        TrainingJob job = trainingJobs
                .findById(
                        StageStandIns.payload(train.get(0)).get("trainingJobId").asLong())
                .orElseThrow();
        assertThat(job.getBaseGenerationId()).isEqualTo(m0.getId());
        assertThat(job.getReferenceGenerationId()).isEqualTo(m0.getId());
        assertThat(json.readTree(job.getDataset()).get("dataset").asString()).isEqualTo("SR");
        assertThat(json.readTree(job.getHyperparameters()).get("chat").asBoolean())
                .isTrue();
        // nothing chosen: trainer-service's configuration decides where it trains
        assertThat(json.readTree(job.getTrainer()).isEmpty()).isTrue();
        conductor.tick();

        RunView done = catalog.view(run.id());
        assertThat(done.status()).isEqualTo("SUCCEEDED");
        assertThat(done.iterations()).singleElement().satisfies(iteration -> {
            assertThat(iteration.phase()).isEqualTo("DONE");
            assertThat(iteration.timings().propertyNames())
                    .containsExactlyInAnyOrder(
                            "GENERATING", "JUDGING", "PAIRING", "TRAINING", "EVALUATING", "JUDGING_EVALUATION");
            assertThat(iteration.nextGenerationId()).isEqualTo(job.getOutputGenerationId());
        });
        ModelGeneration m1 = generations.findById(job.getOutputGenerationId()).orElseThrow();
        assertThat(m1.getParentId()).isEqualTo(m0.getId());
        assertThat(m1.getKind()).isEqualTo(GenerationKind.POLICY);
    }

    @Test
    void tsrIterationAnchorsOnM0AndTrainsAFutureModelFirst() {
        RunView run = catalog.create(request(RunMethod.TSR, 2));

        List<ClaimedUnit> generate = workers.generate();
        assertThat(generate)
                .extracting(unit -> StageStandIns.payload(unit).get("purpose").asString())
                .containsExactlyInAnyOrder("POLICY", "ANCHOR");
        conductor.tick();
        workers.judge();
        conductor.tick();
        assertThat(workers.completeAll(WorkStage.PAIR))
                .extracting(unit -> StageStandIns.payload(unit).get("dataset").asString())
                .containsExactly("D1");
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("TRAINING_FUTURE");
        workers.train();
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("GENERATING_FUTURE");
        long future = catalog.view(run.id()).iterations().get(0).futureGenerationId();
        assertThat(workers.generate()).singleElement().satisfies(unit -> {
            assertThat(StageStandIns.payload(unit).get("purpose").asString()).isEqualTo("FUTURE");
            assertThat(StageStandIns.payload(unit).get("generationId").asLong()).isEqualTo(future);
        });
        conductor.tick();
        assertThat(workers.judge())
                .allSatisfy(unit -> assertThat(StageStandIns.payload(unit)
                                .get("judgeGenerationId")
                                .asLong())
                        .as("the current policy, not the future model, judges")
                        .isEqualTo(m0.getId()));
        conductor.tick();
        assertThat(workers.completeAll(WorkStage.PAIR))
                .extracting(unit -> StageStandIns.payload(unit).get("dataset").asString())
                .containsExactly("D2");
        conductor.tick();
        workers.train();
        conductor.tick();

        RunView afterFirst = catalog.view(run.id());
        assertThat(afterFirst.iterations()).hasSize(2);
        assertThat(generations.findById(future).orElseThrow().getStatus()).isEqualTo(GenerationStatus.DISCARDED);
        RunView.IterationView second = afterFirst.iterations().get(1);
        assertThat(second.policyGenerationId())
                .isEqualTo(afterFirst.iterations().get(0).nextGenerationId());
        assertThat(second.promptChunk()).isEqualTo(1);
        assertThat(workers.generate())
                .filteredOn(unit ->
                        StageStandIns.payload(unit).get("purpose").asString().equals("ANCHOR"))
                .singleElement()
                .satisfies(unit -> assertThat(
                                StageStandIns.payload(unit).get("generationId").asLong())
                        .isEqualTo(m0.getId()));
    }

    @Test
    void bootstrappedRunTrainsM0BeforeSampling() {
        prompts.save(new Prompt(set.getId(), PromptSplit.IFT, null, 10, "reverse ab", "ba", "t"));
        CreateRunRequest request = new CreateRunRequest(
                "bootstrapped",
                RunMethod.SR,
                null,
                new CreateRunRequest.Bootstrap(
                        m0.getId(),
                        null,
                        List.of("IFT"),
                        tools.jackson.databind.json.JsonMapper.builder()
                                .build()
                                .readValue("{\"epochs\": 2}", org.tsr.contract.training.TrainingSettings.class)),
                set.getId(),
                1,
                2,
                1,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new org.tsr.contract.training.TrainerSettings(
                        org.tsr.contract.training.TrainingExecutor.PROCESS, null, null, null));

        RunView run = catalog.create(request);

        assertThat(phase(run.id())).isEqualTo("BOOTSTRAPPING");
        ModelGeneration bootstrapM0 =
                generations.findById(run.initialGenerationId()).orElseThrow();
        assertThat(bootstrapM0.getKind()).isEqualTo(GenerationKind.SFT);
        assertThat(bootstrapM0.getParentId()).isEqualTo(m0.getId());
        assertThat(bootstrapM0.getStatus()).isEqualTo(GenerationStatus.PENDING);
        List<ClaimedUnit> train = workers.train();
        TrainingJob job = trainingJobs
                .findById(
                        StageStandIns.payload(train.get(0)).get("trainingJobId").asLong())
                .orElseThrow();
        assertThat(job.getKind()).isEqualTo(org.tsr.contract.training.TrainingKind.SFT);
        assertThat(json.readTree(job.getDataset()).get("splits").get(0).asString())
                .isEqualTo("IFT");
        assertThat(json.readTree(job.getHyperparameters()).get("epochs").asInt())
                .isEqualTo(2);
        assertThat(json.readTree(job.getTrainer()).get("executor").asString()).isEqualTo("process");

        conductor.tick();

        assertThat(phase(run.id())).isEqualTo("GENERATING");
        assertThat(workers.generate())
                .singleElement()
                .satisfies(unit -> assertThat(
                                StageStandIns.payload(unit).get("generationId").asLong())
                        .isEqualTo(bootstrapM0.getId()));
    }

    @Test
    void runNeedsEitherAnInitialGenerationOrABootstrap() {
        CreateRunRequest neither = new CreateRunRequest(
                "neither",
                RunMethod.SR,
                null,
                null,
                set.getId(),
                1,
                2,
                1,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.create(neither))
                .hasMessageContaining("give either initialGenerationId");
    }

    @Test
    void failedUnitFailsTheRunWithItsReasonAndResumeRetriesIt() {
        RunView run = catalog.create(request(RunMethod.SR, 1));
        ClaimedUnit unit = queue.claim(WorkStage.GENERATE, "test", 10).get(0);
        queue.failPermanently(unit, "model generation 3 has its checkpoint at /gone, which is not a folder");

        conductor.tick();

        RunView failed = catalog.view(run.id());
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.failureReason())
                .isEqualTo("iteration 0, phase GENERATING: model generation 3 has its checkpoint at /gone, which is"
                        + " not a folder");

        RunView resumed = catalog.resume(run.id());
        assertThat(resumed.status()).isEqualTo("RUNNING");
        assertThat(workers.generate()).hasSize(1);
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("JUDGING");
    }

    @Test
    void manualRunWaitsForItsNextIteration() {
        CreateRunRequest manual = new CreateRunRequest(
                "manual",
                RunMethod.SR,
                m0.getId(),
                null,
                set.getId(),
                2,
                1,
                1,
                null,
                null,
                null,
                org.tsr.gateway.settings.RunSettings.Advance.MANUAL,
                null,
                null,
                null,
                null,
                null);
        RunView run = catalog.create(manual);
        workers.sampleJudgePairAndTrain(conductor);

        assertThat(catalog.view(run.id()).status()).isEqualTo("PAUSED");
        // two callers at once: one starts the iteration, the other is told the run is no longer paused
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<RunView>> calls = List.of(
                    callers.submit(() -> catalog.nextIteration(run.id())),
                    callers.submit(() -> catalog.nextIteration(run.id())));
            int started = 0;
            int conflicts = 0;
            for (java.util.concurrent.Future<RunView> call : calls) {
                try {
                    RunView next = call.get();
                    assertThat(next.status()).isEqualTo("RUNNING");
                    started++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(org.tsr.gateway.runs.RunProblem.class);
                    assertThat(((org.tsr.gateway.runs.RunProblem) e.getCause()).status())
                            .isEqualTo(org.springframework.http.HttpStatus.CONFLICT);
                    conflicts++;
                }
            }
            assertThat(started).isEqualTo(1);
            assertThat(conflicts).isEqualTo(1);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            callers.shutdownNow();
        }
        assertThat(catalog.view(run.id()).iterations()).hasSize(2);
    }

    @Test
    void theJudgeCanBeTheOracleOrAFixedGenerationInsteadOfThePolicy() {
        RunView oracleRun = catalog.create(
                judgedBy(new CreateRunRequest.Judging(null, null, null, RunSettings.JudgeRole.ORACLE, null)));
        long oracle = oracleRun.settings().judge().generationId();
        assertThat(generations.findById(oracle).orElseThrow().isBuiltinOracle()).isTrue();
        workers.generate();
        conductor.tick();
        assertThat(workers.judge())
                .allSatisfy(unit -> assertThat(StageStandIns.payload(unit)
                                .get("judgeGenerationId")
                                .asLong())
                        .isEqualTo(oracle));
        conductor.tick();
        assertThat(workers.completeAll(WorkStage.PAIR)).singleElement().satisfies(unit -> {
            assertThat(StageStandIns.payload(unit).get("judgeGenerationId").asLong())
                    .isEqualTo(oracle);
            assertThat(StageStandIns.payload(unit).get("policyGenerationId").asLong())
                    .isEqualTo(m0.getId());
        });
        RunView second = catalog.create(
                judgedBy(new CreateRunRequest.Judging(null, null, null, RunSettings.JudgeRole.ORACLE, null)));
        assertThat(second.settings().judge().generationId())
                .as("one oracle generation")
                .isEqualTo(oracle);

        ModelGeneration strong = generations.save(ModelGeneration.imported(
                "strong judge", GenerationKind.SFT, "file:///judge", CheckpointFormat.HF_SAFETENSORS));
        RunView fixed = catalog.create(
                judgedBy(new CreateRunRequest.Judging(null, null, null, RunSettings.JudgeRole.FIXED, strong.getId())));
        assertThat(fixed.settings().judge().judgeFor(m0.getId())).isEqualTo(strong.getId());
        assertThatThrownBy(() -> catalog.create(
                        judgedBy(new CreateRunRequest.Judging(null, null, null, RunSettings.JudgeRole.FIXED, null))))
                .hasMessageContaining("a FIXED judge needs the generation that judges");
    }

    private CreateRunRequest judgedBy(CreateRunRequest.Judging judge) {
        return new CreateRunRequest(
                "judged run",
                RunMethod.SR,
                m0.getId(),
                null,
                set.getId(),
                1,
                2,
                1,
                null,
                judge,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
