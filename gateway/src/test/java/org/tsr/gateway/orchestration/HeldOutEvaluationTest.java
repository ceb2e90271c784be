package org.tsr.gateway.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.gateway.report.RunReport;
import org.tsr.gateway.runs.CreateRunRequest;
import org.tsr.gateway.runs.RunProblem;
import org.tsr.gateway.runs.RunView;
import org.tsr.store.evaluation.PairwiseJudgment;
import org.tsr.store.evaluation.PairwiseJudgments;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.run.RunMethod;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.WorkStage;
import tools.jackson.databind.JsonNode;

/**
 * The held-out evaluation of a run's trained generations against M0: graded by the oracle where prompts have reference
 * answers, and, for a prompt set without them, compared with M0's answers in both orders by a judge generation, with
 * {@link StageStandIns} doing the services' part.
 */
class HeldOutEvaluationTest extends ConductorTestSupport {

    @Autowired
    ResponseRepository responses;

    @Autowired
    PairwiseJudgments pairwise;

    ModelGeneration judge;

    @BeforeEach
    void judge() {
        judge = generations.save(ModelGeneration.imported(
                "judge", GenerationKind.SFT, "file:///judge", CheckpointFormat.HF_SAFETENSORS));
    }

    @Test
    void evaluationGradesTheTrainedGenerationAndM0OnTheHeldOutSetWithTheOracle() {
        prompts.save(new Prompt(set.getId(), PromptSplit.EVAL, null, 0, "sort: cba", "abc", "sort"));
        prompts.save(new Prompt(set.getId(), PromptSplit.EVAL, null, 1, "sort: dca", "acd", "sort"));
        RunView run = catalog.create(request(RunMethod.SR, 1, null));
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
    void aRunWithoutAnOracleReportsTheJudgedAndLengthControlledWinRatesAgainstM0() {
        List<String> held = List.of("write a haiku", "name a colour", "say hello", "define entropy");
        for (int i = 0; i < held.size(); i++) {
            prompts.save(new Prompt(set.getId(), PromptSplit.EVAL, null, i, held.get(i), null, "chat"));
        }
        RunView run = catalog.create(request(RunMethod.SR, 1, evaluation(judge.getId())));
        assertThat(run.settings().evaluatesPairwise()).isTrue();
        assertThat(run.settings().evaluation().judgeMaxTokens()).isEqualTo(256);

        workers.sampleJudgePairAndTrain(conductor);
        assertThat(phase(run.id())).isEqualTo("EVALUATING");
        long m1 = catalog.view(run.id()).iterations().get(0).nextGenerationId();

        // every held-out prompt is answered, reference or not: M1 twice as long as M0
        List<ClaimedUnit> generated = workers.completeAll(WorkStage.GENERATE, unit -> {
            JsonNode task = StageStandIns.payload(unit);
            long generation = task.get("generationId").asLong();
            List<NewResponse> rows = new ArrayList<>();
            for (JsonNode promptId : task.get("promptIds")) {
                String text = generation == m1 ? "a longer answer" : "short";
                rows.add(new NewResponse(
                        promptId.asLong(),
                        generation,
                        task.get("iterationId").asLong(),
                        ResponsePurpose.EVAL,
                        0,
                        text,
                        text.length(),
                        FinishReason.STOP));
            }
            return () -> responseWriter.saveAll(rows);
        });
        assertThat(generated)
                .extracting(unit -> StageStandIns.payload(unit).get("promptIds").size())
                .containsExactly(4, 4);
        conductor.tick();
        assertThat(phase(run.id())).isEqualTo("JUDGING_EVALUATION");

        // the judge prefers M1 on three prompts in both orders, M0 on the last in one order only
        Map<Long, Response> byId = new HashMap<>();
        responses.findAll().forEach(response -> byId.put(response.getId(), response));
        List<ClaimedUnit> compared = workers.completeAll(WorkStage.EVALUATE, unit -> {
            JsonNode task = StageStandIns.payload(unit);
            assertThat(task.get("judgeGenerationId").asLong()).isEqualTo(judge.getId());
            assertThat(task.get("temperature").asDouble()).isZero();
            List<PairwiseJudgment> rows = new ArrayList<>();
            for (JsonNode comparison : task.get("comparisons")) {
                Response evaluated = byId.get(comparison.get("responseId").asLong());
                Response reference =
                        byId.get(comparison.get("referenceResponseId").asLong());
                assertThat(evaluated.getGenerationId()).isEqualTo(m1);
                assertThat(reference.getGenerationId()).isEqualTo(m0.getId());
                assertThat(reference.getPromptId()).isEqualTo(evaluated.getPromptId());
                boolean last = prompts.findById(evaluated.getPromptId())
                        .orElseThrow()
                        .getText()
                        .equals("define entropy");
                rows.add(new PairwiseJudgment(
                        task.get("iterationId").asLong(),
                        judge.getId(),
                        evaluated.getId(),
                        reference.getId(),
                        last ? 2 : 1,
                        last ? 2 : 2,
                        "Better: " + (last ? 2 : 1),
                        "Better: 2"));
            }
            return () -> pairwise.saveAll(rows);
        });
        assertThat(compared)
                .extracting(
                        unit -> StageStandIns.payload(unit).get("comparisons").size())
                .containsExactly(4);
        conductor.tick();

        RunView done = catalog.view(run.id());
        assertThat(done.status()).isEqualTo("SUCCEEDED");
        JsonNode figures =
                done.iterations().get(0).diagnostics().get("evaluation").get("pairwise");
        assertThat(figures.get("judgeGenerationId").asLong()).isEqualTo(judge.getId());
        assertThat(figures.get("referenceGenerationId").asLong()).isEqualTo(m0.getId());
        assertThat(figures.get("generationId").asLong()).isEqualTo(m1);
        assertThat(figures.get("prompts").asInt()).isEqualTo(4);
        assertThat(figures.get("wins").asInt()).isEqualTo(3);
        assertThat(figures.get("losses").asInt()).isZero();
        assertThat(figures.get("ties").asInt()).isEqualTo(1);
        assertThat(figures.get("winRate").asDouble()).isEqualTo(0.875);
        assertThat(figures.get("winRateLow").asDouble()).isLessThan(0.875);
        // Wilson's interval for 3.5 of 4: wide, and short of 1
        assertThat(figures.get("winRateLow").asDouble()).isBetween(0.3, 0.5);
        assertThat(figures.get("winRateHigh").asDouble()).isBetween(0.875, 1.0);
        // every length difference is the same, so length explains nothing: the controlled rate is the raw one
        assertThat(figures.get("lengthControlledWinRate").asDouble())
                .isCloseTo(0.875, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(figures.get("lengthControlledLow").asDouble()).isLessThan(0.875);
        assertThat(figures.get("meanLength").asDouble()).isEqualTo(15.0);
        assertThat(figures.get("referenceMeanLength").asDouble()).isEqualTo(5.0);
        // no reference answers: nothing for the oracle to grade
        assertThat(done.iterations()
                        .get(0)
                        .diagnostics()
                        .get("evaluation")
                        .get("prompts")
                        .asInt())
                .isZero();

        RunReport report = reports.report(run.id());
        assertThat(report.iterations()).singleElement().satisfies(iteration -> {
            assertThat(iteration.evaluation().get("pairwise").get("winRate").asDouble())
                    .isEqualTo(0.875);
            assertThat(iteration.phases()).containsKeys("EVALUATING", "JUDGING_EVALUATION");
        });
    }

    @Test
    void aPromptSetWithoutReferenceAnswersNeedsAPairwiseJudgeToBeEvaluated() {
        prompts.save(new Prompt(set.getId(), PromptSplit.EVAL, null, 0, "write a haiku", null, "chat"));

        assertThat(catalog.create(request(RunMethod.SR, 1, null)).settings().evaluates())
                .isFalse();
        assertThatThrownBy(() -> catalog.create(request(RunMethod.SR, 1, new CreateRunRequest.Evaluation(true, null))))
                .isInstanceOf(RunProblem.class)
                .satisfies(e -> assertThat(((RunProblem) e).field()).isEqualTo("evaluation.enabled"))
                .hasMessageContaining("evaluation.judgeGenerationId");
    }

    @Test
    void aPairwiseJudgeMustBeAReadyModelNotTheOracleAndNeedsHeldOutPrompts() {
        assertThatThrownBy(() -> catalog.create(request(RunMethod.SR, 1, evaluation(judge.getId()))))
                .isInstanceOf(RunProblem.class)
                .satisfies(e -> assertThat(((RunProblem) e).status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY))
                .hasMessageContaining("no EVAL prompts");

        prompts.save(new Prompt(set.getId(), PromptSplit.EVAL, null, 0, "write a haiku", null, "chat"));
        assertThatThrownBy(() -> catalog.create(request(RunMethod.SR, 1, evaluation(Long.MAX_VALUE))))
                .isInstanceOf(RunProblem.class)
                .satisfies(e -> {
                    assertThat(((RunProblem) e).status()).isEqualTo(HttpStatus.NOT_FOUND);
                    assertThat(((RunProblem) e).field()).isEqualTo("evaluation.judgeGenerationId");
                });
        ModelGeneration oracle = generations
                .findFirstByCheckpointFormatOrderById(CheckpointFormat.BUILTIN_ORACLE)
                .orElseGet(() -> generations.save(ModelGeneration.builtinOracle()));
        assertThatThrownBy(() -> catalog.create(request(RunMethod.SR, 1, evaluation(oracle.getId()))))
                .isInstanceOf(RunProblem.class)
                .satisfies(e -> {
                    assertThat(((RunProblem) e).status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(((RunProblem) e).field()).isEqualTo("evaluation.judgeGenerationId");
                })
                .hasMessageContaining("cannot compare two responses");
    }

    private static CreateRunRequest.Evaluation evaluation(long judgeGenerationId) {
        return new CreateRunRequest.Evaluation(null, 16, judgeGenerationId, null, null);
    }
}
