package org.tsr.gateway.orchestration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.store.judgment.Judgment;
import org.tsr.store.judgment.JudgmentWriter;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the stage services in the conductor's tests: claims every pending unit of a stage, writes what that
 * stage would write, and completes the unit with it.
 */
@Component
class StageStandIns {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WorkQueue queue;
    private final ResponseWriter responses;
    private final JudgmentWriter judgments;
    private final TrainingJobRepository trainingJobs;
    private final ModelGenerationRepository generations;

    StageStandIns(
            WorkQueue queue,
            ResponseWriter responses,
            JudgmentWriter judgments,
            TrainingJobRepository trainingJobs,
            ModelGenerationRepository generations) {
        this.queue = queue;
        this.responses = responses;
        this.judgments = judgments;
        this.trainingJobs = trainingJobs;
        this.generations = generations;
    }

    static JsonNode payload(ClaimedUnit unit) {
        return JSON.readTree(unit.payload());
    }

    /** Claims every pending unit of the stage and completes each with the results {@code work} makes for it. */
    List<ClaimedUnit> completeAll(WorkStage stage, Function<ClaimedUnit, Runnable> work) {
        List<ClaimedUnit> units = queue.claim(stage, "test", 100);
        for (ClaimedUnit unit : units) {
            queue.complete(unit, work.apply(unit));
        }
        return units;
    }

    /** Completes every pending unit of the stage without writing anything, as pairing with no pairs would. */
    List<ClaimedUnit> completeAll(WorkStage stage) {
        return completeAll(stage, unit -> () -> {});
    }

    /** Writes K responses per prompt, as the generator would. */
    List<ClaimedUnit> generate() {
        return completeAll(WorkStage.GENERATE, unit -> {
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
            return () -> responses.saveAll(rows);
        });
    }

    /** Scores the responses of each unit 0, 1, 2, ... in turn, as the judge would. */
    List<ClaimedUnit> judge() {
        return completeAll(WorkStage.JUDGE, unit -> {
            JsonNode task = payload(unit);
            List<Judgment> rows = new ArrayList<>();
            int i = 0;
            for (JsonNode responseId : task.get("responseIds")) {
                rows.add(Judgment.scored(
                        responseId.asLong(), task.get("judgeGenerationId").asLong(), 0, "Score: " + (i % 5), i++ % 5));
            }
            return () -> judgments.saveAll(rows);
        });
    }

    /**
     * Does the services' part of an SR iteration up to its evaluation, {@code conductor} ticking after each stage:
     * sampling, judging, pairing (no pairs) and training.
     */
    void sampleJudgePairAndTrain(RunConductor conductor) {
        generate();
        conductor.tick();
        judge();
        conductor.tick();
        completeAll(WorkStage.PAIR);
        conductor.tick();
        train();
        conductor.tick();
    }

    /** Marks each job's output generation trained, as the trainer would. */
    List<ClaimedUnit> train() {
        return completeAll(WorkStage.TRAIN, unit -> {
            TrainingJob job = trainingJobs
                    .findById(payload(unit).get("trainingJobId").asLong())
                    .orElseThrow();
            ModelGeneration output =
                    generations.findById(job.getOutputGenerationId()).orElseThrow();
            return () -> {
                output.markReady("file:///trained/" + output.getId(), CheckpointFormat.HF_SAFETENSORS);
                generations.save(output);
                job.succeed(output.getId());
                trainingJobs.save(job);
            };
        });
    }
}
