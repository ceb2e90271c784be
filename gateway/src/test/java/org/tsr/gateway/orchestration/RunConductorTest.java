package org.tsr.gateway.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tsr.gateway.runs.CreateRunRequest;
import org.tsr.gateway.runs.RunCatalog;
import org.tsr.gateway.runs.RunView;
import org.tsr.store.judgment.Judgment;
import org.tsr.store.judgment.JudgmentWriter;
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
import org.tsr.store.response.FinishReason;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.ResponsePurpose;
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
 * Drives runs through their phases with the test standing in for the stage services: it claims each unit the
 * conductor creates, writes what that stage writes (responses, judgments, a trained generation) and completes it.
 */
@SpringBootTest(properties = {"tsr.orchestration.tick=1h", "tsr.access.enabled=false"})
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
    ResponseWriter responses;

    @Autowired
    JudgmentWriter judgments;

    @Autowired
    TrainingJobRepository trainingJobs;

    @Autowired
    JdbcTemplate jdbc;

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
                null);
    }

    @Test
    void srIterationGeneratesJudgesPairsAndTrainsTheNextPolicy() {
        RunView run = catalog.create(request(RunMethod.SR, 1));
        assertThat(phase(run.id())).isEqualTo("GENERATING");

        List<ClaimedUnit> generate = actAsGenerator();
        assertThat(generate)
                .singleElement()
                .satisfies(unit ->
                        assertThat(payload(unit).get("purpose").asString()).isEqualTo("POLICY"));
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("JUDGING");

        List<ClaimedUnit> judge = actAsJudge();
        assertThat(payload(judge.get(0)).get("responseIds")).hasSize(4);
        assertThat(payload(judge.get(0)).get("judgeGenerationId").asLong()).isEqualTo(m0.getId());
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("PAIRING");

        assertThat(completeAll(WorkStage.PAIR))
                .singleElement()
                .satisfies(unit ->
                        assertThat(payload(unit).get("dataset").asString()).isEqualTo("SR"));
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("TRAINING");

        List<ClaimedUnit> train = actAsTrainer();
        TrainingJob job = trainingJobs
                .findById(payload(train.get(0)).get("trainingJobId").asLong())
                .orElseThrow();
        assertThat(job.getBaseGenerationId()).isEqualTo(m0.getId());
        assertThat(job.getReferenceGenerationId()).isEqualTo(m0.getId());
        assertThat(json.readTree(job.getDataset()).get("dataset").asString()).isEqualTo("SR");
        assertThat(json.readTree(job.getHyperparameters()).get("chat").asBoolean())
                .isTrue();
        conductor.tick();

        RunView done = catalog.view(run.id());
        assertThat(done.status()).isEqualTo("SUCCEEDED");
        assertThat(done.iterations()).singleElement().satisfies(iteration -> {
            assertThat(iteration.phase()).isEqualTo("DONE");
            assertThat(iteration.timings().propertyNames())
                    .containsExactlyInAnyOrder("GENERATING", "JUDGING", "PAIRING", "TRAINING");
            assertThat(iteration.nextGenerationId()).isEqualTo(job.getOutputGenerationId());
        });
        ModelGeneration m1 = generations.findById(job.getOutputGenerationId()).orElseThrow();
        assertThat(m1.getParentId()).isEqualTo(m0.getId());
        assertThat(m1.getKind()).isEqualTo(GenerationKind.POLICY);
    }

    @Test
    void tsrIterationAnchorsOnM0AndTrainsAFutureModelFirst() {
        RunView run = catalog.create(request(RunMethod.TSR, 2));

        List<ClaimedUnit> generate = actAsGenerator();
        assertThat(generate)
                .extracting(unit -> payload(unit).get("purpose").asString())
                .containsExactlyInAnyOrder("POLICY", "ANCHOR");
        conductor.tick();
        actAsJudge();
        conductor.tick();
        assertThat(completeAll(WorkStage.PAIR))
                .extracting(unit -> payload(unit).get("dataset").asString())
                .containsExactly("D1");
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("TRAINING_FUTURE");
        actAsTrainer();
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("GENERATING_FUTURE");
        long future = catalog.view(run.id()).iterations().get(0).futureGenerationId();
        assertThat(actAsGenerator()).singleElement().satisfies(unit -> {
            assertThat(payload(unit).get("purpose").asString()).isEqualTo("FUTURE");
            assertThat(payload(unit).get("generationId").asLong()).isEqualTo(future);
        });
        conductor.tick();
        assertThat(actAsJudge())
                .allSatisfy(unit -> assertThat(
                                payload(unit).get("judgeGenerationId").asLong())
                        .as("the current policy, not the future model, judges")
                        .isEqualTo(m0.getId()));
        conductor.tick();
        assertThat(completeAll(WorkStage.PAIR))
                .extracting(unit -> payload(unit).get("dataset").asString())
                .containsExactly("D2");
        conductor.tick();
        actAsTrainer();
        conductor.tick();

        RunView afterFirst = catalog.view(run.id());
        assertThat(afterFirst.iterations()).hasSize(2);
        assertThat(generations.findById(future).orElseThrow().getStatus()).isEqualTo(GenerationStatus.DISCARDED);
        RunView.IterationView second = afterFirst.iterations().get(1);
        assertThat(second.policyGenerationId())
                .isEqualTo(afterFirst.iterations().get(0).nextGenerationId());
        assertThat(second.promptChunk()).isEqualTo(1);
        assertThat(actAsGenerator())
                .filteredOn(unit -> payload(unit).get("purpose").asString().equals("ANCHOR"))
                .singleElement()
                .satisfies(unit ->
                        assertThat(payload(unit).get("generationId").asLong()).isEqualTo(m0.getId()));
    }

    @Test
    void bootstrappedRunTrainsM0BeforeSampling() {
        prompts.save(new Prompt(set.getId(), PromptSplit.IFT, null, 10, "reverse ab", "ba", "t"));
        CreateRunRequest request = new CreateRunRequest(
                "bootstrapped",
                RunMethod.SR,
                null,
                new CreateRunRequest.Bootstrap(m0.getId(), null, List.of("IFT"), java.util.Map.of("epochs", 2)),
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
                null);

        RunView run = catalog.create(request);

        assertThat(phase(run.id())).isEqualTo("BOOTSTRAPPING");
        ModelGeneration bootstrapM0 =
                generations.findById(run.initialGenerationId()).orElseThrow();
        assertThat(bootstrapM0.getKind()).isEqualTo(GenerationKind.SFT);
        assertThat(bootstrapM0.getParentId()).isEqualTo(m0.getId());
        assertThat(bootstrapM0.getStatus()).isEqualTo(GenerationStatus.PENDING);
        List<ClaimedUnit> train = actAsTrainer();
        TrainingJob job = trainingJobs
                .findById(payload(train.get(0)).get("trainingJobId").asLong())
                .orElseThrow();
        assertThat(job.getKind()).isEqualTo(org.tsr.store.training.TrainingKind.SFT);
        assertThat(json.readTree(job.getDataset()).get("splits").get(0).asString())
                .isEqualTo("IFT");
        assertThat(json.readTree(job.getHyperparameters()).get("epochs").asInt())
                .isEqualTo(2);

        conductor.tick();

        assertThat(phase(run.id())).isEqualTo("GENERATING");
        assertThat(actAsGenerator())
                .singleElement()
                .satisfies(unit ->
                        assertThat(payload(unit).get("generationId").asLong()).isEqualTo(bootstrapM0.getId()));
    }

    @Test
    void runNeedsEitherAnInitialGenerationOrABootstrap() {
        CreateRunRequest neither = new CreateRunRequest(
                "neither", RunMethod.SR, null, null, set.getId(), 1, 2, 1, null, null, null, null, null, null, null);

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
        assertThat(actAsGenerator()).hasSize(1);
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
                org.tsr.gateway.runs.RunSettings.Advance.MANUAL,
                null,
                null,
                null);
        RunView run = catalog.create(manual);
        actAsGenerator();
        conductor.tick();
        actAsJudge();
        conductor.tick();
        completeAll(WorkStage.PAIR);
        conductor.tick();
        actAsTrainer();
        conductor.tick();

        assertThat(catalog.view(run.id()).status()).isEqualTo("PAUSED");
        RunView next = catalog.nextIteration(run.id());
        assertThat(next.status()).isEqualTo("RUNNING");
        assertThat(next.iterations()).hasSize(2);
    }

    private String phase(long runId) {
        List<RunView.IterationView> iterations = catalog.view(runId).iterations();
        return iterations.get(iterations.size() - 1).phase();
    }

    private JsonNode payload(ClaimedUnit unit) {
        return json.readTree(unit.payload());
    }

    private List<ClaimedUnit> claimAll(WorkStage stage) {
        return queue.claim(stage, "test", 100);
    }

    private List<ClaimedUnit> completeAll(WorkStage stage) {
        List<ClaimedUnit> units = claimAll(stage);
        units.forEach(queue::complete);
        return units;
    }

    /** Writes K responses per prompt as the generator would. */
    private List<ClaimedUnit> actAsGenerator() {
        List<ClaimedUnit> units = claimAll(WorkStage.GENERATE);
        for (ClaimedUnit unit : units) {
            JsonNode task = payload(unit);
            List<NewResponse> rows = new ArrayList<>();
            for (JsonNode promptId : task.get("promptIds")) {
                for (int sample = 0; sample < task.get("sampling").get("n").asInt(); sample++) {
                    rows.add(new NewResponse(
                            promptId.asLong(),
                            task.get("generationId").asLong(),
                            task.get("iterationId").asLong(),
                            ResponsePurpose.valueOf(task.get("purpose").asString()),
                            sample,
                            "answer " + sample,
                            2,
                            FinishReason.STOP));
                }
            }
            queue.complete(unit, () -> responses.saveAll(rows));
        }
        return units;
    }

    /** Scores each response by its sample index, as the judge would. */
    private List<ClaimedUnit> actAsJudge() {
        List<ClaimedUnit> units = claimAll(WorkStage.JUDGE);
        for (ClaimedUnit unit : units) {
            JsonNode task = payload(unit);
            List<Judgment> rows = new ArrayList<>();
            int i = 0;
            for (JsonNode responseId : task.get("responseIds")) {
                rows.add(Judgment.scored(
                        responseId.asLong(), task.get("judgeGenerationId").asLong(), 0, "Score: " + (i % 5), i++ % 5));
            }
            queue.complete(unit, () -> judgments.saveAll(rows));
        }
        return units;
    }

    /** Marks each job's output generation trained, as the trainer would. */
    private List<ClaimedUnit> actAsTrainer() {
        List<ClaimedUnit> units = claimAll(WorkStage.TRAIN);
        for (ClaimedUnit unit : units) {
            TrainingJob job = trainingJobs
                    .findById(payload(unit).get("trainingJobId").asLong())
                    .orElseThrow();
            ModelGeneration output =
                    generations.findById(job.getOutputGenerationId()).orElseThrow();
            queue.complete(unit, () -> {
                output.markReady("file:///trained/" + output.getId(), CheckpointFormat.HF_SAFETENSORS);
                generations.save(output);
                job.succeed(output.getId());
                trainingJobs.save(job);
            });
        }
        return units;
    }
}
