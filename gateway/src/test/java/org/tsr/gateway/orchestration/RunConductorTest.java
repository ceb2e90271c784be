package org.tsr.gateway.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.gateway.report.RunReport;
import org.tsr.gateway.report.RunReports;
import org.tsr.gateway.runs.CreateRunRequest;
import org.tsr.gateway.runs.RunCatalog;
import org.tsr.gateway.runs.RunView;
import org.tsr.gateway.settings.RunSettings;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.run.RunMethod;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives runs through their phases with {@link StageStandIns} doing the stage services' part: each unit the conductor
 * creates is claimed, its results (responses, judgments, a trained generation) written, and completed.
 */
@SpringBootTest(properties = {"tsr.orchestration.conduct=false", "tsr.access.enabled=false"})
class RunConductorTest {

    @Autowired
    RunCatalog catalog;

    @Autowired
    RunConductor conductor;

    @Autowired
    WorkQueue queue;

    @Autowired
    ModelGenerationRepository generations;

    @Autowired
    PromptSetRepository promptSets;

    @Autowired
    PromptRepository prompts;

    @Autowired
    TrainingJobRepository trainingJobs;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StageStandIns workers;

    @Autowired
    ResponseWriter responseWriter;

    @Autowired
    RunReports reports;

    final JsonMapper json = JsonMapper.builder().build();
    ModelGeneration m0;
    PromptSet set;

    @BeforeEach
    void modelAndPrompts() {
        // runs of earlier tests must not move when this test ticks the conductor
        jdbc.update("update run set status = 'CANCELLED' where status in ('PENDING', 'RUNNING', 'PAUSED')");
        jdbc.update("update work_unit set status = 'DONE', lease_owner = null, lease_expires_at = null"
                + " where status in ('PENDING', 'RUNNING')");
        m0 = generations.save(
                ModelGeneration.imported("M0", GenerationKind.SFT, "file:///m0", CheckpointFormat.HF_SAFETENSORS));
        set = promptSets.save(new PromptSet("conductor-" + UUID.randomUUID(), null));
        for (int chunk = 0; chunk < 2; chunk++) {
            for (int i = 0; i < 2; i++) {
                prompts.save(new Prompt(set.getId(), PromptSplit.ITERATION, chunk, chunk * 2 + i, "p" + i, null, "t"));
            }
        }
    }

    CreateRunRequest request(RunMethod method, int iterations) {
        return new CreateRunRequest(
                method + " test",
                method,
                m0.getId(),
                null,
                set.getId(),
                iterations,
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
    void evaluationGradesTheTrainedGenerationAndM0OnTheHeldOutSetWithTheOracle() {
        prompts.save(new Prompt(set.getId(), PromptSplit.EVAL, null, 0, "sort: cba", "abc", "sort"));
        prompts.save(new Prompt(set.getId(), PromptSplit.EVAL, null, 1, "sort: dca", "acd", "sort"));
        RunView run = catalog.create(request(RunMethod.SR, 1));
        assertThat(run.settings().evaluates()).isTrue();
        workers.sampleJudgePairAndTrain(conductor);
        assertThat(phase(run.id())).isEqualTo("EVALUATING");
        long m1 = catalog.view(run.id()).iterations().get(0).nextGenerationId();

        // M0 puts letters out of place (3 and 4 points); M1 gets the first right (5) and the second
        // nearly right with extra text (4 - 1 = 3): one win, one loss against M0
        Map<String, String> m0Answers = Map.of("sort: cba", "bca", "sort: dca", "dca");
        Map<String, String> m1Answers = Map.of("sort: cba", "abc", "sort: dca", "adc ok");
        List<ClaimedUnit> units = workers.completeAll(WorkStage.GENERATE, unit -> {
            JsonNode task = StageStandIns.payload(unit);
            assertThat(task.get("purpose").asString()).isEqualTo("EVAL");
            assertThat(task.get("sampling").get("temperature").asDouble()).isZero();
            assertThat(task.get("sampling").get("n").asInt()).isEqualTo(1);
            long generation = task.get("generationId").asLong();
            List<NewResponse> rows = new ArrayList<>();
            for (JsonNode promptId : task.get("promptIds")) {
                String text = prompts.findById(promptId.asLong()).orElseThrow().getText();
                String answer = (generation == m1 ? m1Answers : m0Answers).get(text);
                rows.add(new NewResponse(
                        promptId.asLong(),
                        generation,
                        task.get("iterationId").asLong(),
                        ResponsePurpose.EVAL,
                        0,
                        answer,
                        answer.length(),
                        FinishReason.STOP));
            }
            return () -> responseWriter.saveAll(rows);
        });
        assertThat(units)
                .extracting(
                        unit -> StageStandIns.payload(unit).get("generationId").asLong())
                .containsExactlyInAnyOrder(m0.getId(), m1);
        conductor.tick();

        RunView done = catalog.view(run.id());
        assertThat(done.status()).isEqualTo("SUCCEEDED");
        JsonNode evaluation = done.iterations().get(0).diagnostics().get("evaluation");
        assertThat(evaluation.get("generationId").asLong()).isEqualTo(m1);
        assertThat(evaluation.get("prompts").asInt()).isEqualTo(2);
        assertThat(evaluation.get("meanOracleScore").asDouble()).isEqualTo(4.0);
        assertThat(evaluation.get("exactMatch").asDouble()).isEqualTo(0.5);
        assertThat(evaluation.get("meanLength").asDouble()).isEqualTo(4.5);
        assertThat(evaluation.get("winRateVsM0").asDouble()).isEqualTo(0.5);
        assertThat(evaluation.get("families").get("sort").get("meanOracleScore").asDouble())
                .isEqualTo(4.0);
        assertThat(evaluation.get("initial").get("meanOracleScore").asDouble()).isEqualTo(3.5);
        assertThat(evaluation.get("initial").get("winRateVsM0").asDouble()).isEqualTo(0.5);
        assertThat(evaluation.get("initial").get("exactMatch").asDouble()).isZero();

        RunReport report = reports.report(run.id());
        assertThat(report.initialEvaluation().get("meanOracleScore").asDouble()).isEqualTo(3.5);
        assertThat(report.iterations()).singleElement().satisfies(iteration -> {
            assertThat(iteration.evaluation().get("winRateVsM0").asDouble()).isEqualTo(0.5);
            assertThat(iteration.training())
                    .singleElement()
                    .satisfies(job -> assertThat(job.dataset()).isEqualTo("SR"));
            assertThat(iteration.phases()).containsKeys("GENERATING", "TRAINING", "EVALUATING");
            iteration
                    .phases()
                    .values()
                    .forEach(time -> assertThat(time.outsideUnitsSeconds()).isBetween(0.0, time.wallSeconds()));
        });
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

    private String phase(long runId) {
        List<RunView.IterationView> iterations = catalog.view(runId).iterations();
        return iterations.get(iterations.size() - 1).phase();
    }
}
