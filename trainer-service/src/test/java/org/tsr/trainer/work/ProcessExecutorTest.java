package org.tsr.trainer.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.pair.PreferencePairRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.store.training.TrainingStatus;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStatus;
import org.tsr.trainer.TrainingScenario;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The process executor: a job whose trainer settings say {@code process} trains in a child JVM from its export, on a
 * service configured for the embedded executor, and enters the lineage as an embedded job would.
 */
@SpringBootTest(properties = {"tsr.trainer.worker-threads=0", "tsr.trainer.checkpoint-dir=target/test-checkpoints"})
class ProcessExecutorTest {

    @Autowired
    TrainUnits units;

    @Autowired
    WorkQueue queue;

    @Autowired
    TrainingScenario scenario;

    @Autowired
    TrainingJobRepository jobs;

    @Autowired
    ModelGenerationRepository generations;

    @Autowired
    PreferencePairRepository pairs;

    @Autowired
    IterationRepository iterations;

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aDpoJobOnTheProcessExecutorTrainsInAChildProcessAndRegistersItsModel() throws Exception {
        TrainingScenario.SrIteration sr = scenario.srIteration();
        TrainingJob job = jobs.save(dpoJob(sr).trainedOn("{\"executor\": \"process\"}"));
        long unit = enqueue(job);

        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.DONE);
        TrainingJob done = jobs.findById(job.getId()).orElseThrow();
        assertThat(done.getStatus()).as(done.getError()).isEqualTo(TrainingStatus.SUCCEEDED);
        assertThat(done.getExecutor()).isEqualTo("process");
        assertThat(done.getWorkload()).isNull();
        assertThat(done.getTotalSteps()).isEqualTo(4);
        assertThat(done.getStep()).isEqualTo(4);
        assertThat(done.getLogTail()).contains("DPO on 3 examples, 4 steps").contains("step 4/4 loss");
        JsonNode metrics = json.readTree(done.getMetrics());
        assertThat(metrics.get("rewards/margins").asDouble()).isGreaterThan(0);
        assertThat(metrics.get("examples").asInt()).isEqualTo(3);

        ModelGeneration output =
                generations.findById(done.getOutputGenerationId()).orElseThrow();
        assertThat(output.getStatus()).isEqualTo(GenerationStatus.READY);
        Path folder = Path.of(URI.create(output.getCheckpointUri()));
        try (LanguageModel trained = LanguageModel.load(folder, EngineOptions.cpu(1))) {
            assertThat(trained.config().hiddenSize()).isPositive();
        }
        // the child scored the pairs with the reference model; the service kept the values with the pairs
        for (PreferencePair pair :
                pairs.findAllById(sr.pairs().stream().map(PreferencePair::getId).toList())) {
            assertThat(pair.getReferenceChosenLogp()).isNegative();
            assertThat(pair.getReferenceRejectedLogp()).isNegative();
        }
    }

    @Test
    void aJobWhoseChildCannotLoadItsBaseFailsWithTheChildsReasonAndRegistersNothing() throws Exception {
        Path empty = Files.createTempDirectory("no-weights");
        ModelGeneration broken = generations.save(ModelGeneration.imported(
                "broken", GenerationKind.SFT, empty.toUri().toString(), CheckpointFormat.HF_SAFETENSORS));
        PromptSet set = scenario.sftPrompts();
        TrainingJob job = jobs.save(TrainingJob.sft(broken.getId(), "{\"promptSetId\": " + set.getId() + "}", "{}")
                .trainedOn("{\"executor\": \"process\"}"));
        long generationsBefore = generations.count();
        long unit = enqueue(job);

        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        TrainingJob failed = jobs.findById(job.getId()).orElseThrow();
        assertThat(failed.getStatus()).isEqualTo(TrainingStatus.FAILED);
        assertThat(failed.getExecutor()).isEqualTo("process");
        assertThat(failed.getError())
                .contains("trainer process exited with status 1")
                .contains("config.json");
        assertThat(generations.count()).isEqualTo(generationsBefore);
    }

    @Test
    void cancellingTheRunStopsTheTrainerProcessAndEndsTheJobCancelled() throws Exception {
        TrainingScenario.SrIteration sr = scenario.srIteration();
        TrainingJob job = jobs.save(TrainingJob.dpo(
                        sr.m0().getId(),
                        sr.m0().getId(),
                        "{\"iterationId\": %d, \"dataset\": \"SR\"}"
                                .formatted(sr.iteration().getId()),
                        "{\"epochs\": 1000, \"batchSize\": 1, \"maxLength\": 96, \"checkpointEvery\": 0}")
                .forIteration(sr.run().getId(), sr.iteration().getId())
                .trainedOn("{\"executor\": \"process\"}"));
        long unit = enqueue(job);
        Thread worker = new Thread(this::drain, "train-worker");
        worker.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (jobs.findById(job.getId()).orElseThrow().getStep() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(jobs.findById(job.getId()).orElseThrow().getStep())
                .as("the child trains")
                .isPositive();

        Iteration iteration = iterations.findById(sr.iteration().getId()).orElseThrow();
        iteration.cancel();
        iterations.save(iteration);
        worker.join(Duration.ofSeconds(30).toMillis());

        assertThat(worker.isAlive())
                .as("the worker stopped following the child")
                .isFalse();
        TrainingJob cancelled = jobs.findById(job.getId()).orElseThrow();
        assertThat(cancelled.getStatus()).isEqualTo(TrainingStatus.CANCELLED);
        assertThat(cancelled.getError()).contains("was cancelled");
        assertThat(cancelled.getStep()).isLessThan(cancelled.getTotalSteps());
        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        assertThat(ProcessHandle.allProcesses()
                        .filter(process ->
                                process.info().commandLine().orElse("").contains("jobs/" + job.getId() + "/export"))
                        .toList())
                .as("no trainer process left")
                .isEmpty();
    }

    @Test
    void anExecutorThisServiceHasNotEnabledFailsTheJobNamingIt() {
        TrainingScenario.SrIteration sr = scenario.srIteration();
        TrainingJob job = jobs.save(dpoJob(sr).trainedOn("{\"executor\": \"kubeflow\", \"nodes\": 2}"));
        long unit = enqueue(job);

        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        TrainingJob failed = jobs.findById(job.getId()).orElseThrow();
        assertThat(failed.getStatus()).isEqualTo(TrainingStatus.FAILED);
        assertThat(failed.getError()).contains("kubeflow is not enabled on this trainer-service");
        assertThat(failed.getExecutor()).as("it never started").isNull();
    }

    @Test
    void unknownTrainerSettingsFailTheJobNamingTheSetting() {
        TrainingScenario.SrIteration sr = scenario.srIteration();
        TrainingJob job = jobs.save(dpoJob(sr).trainedOn("{\"executor\": \"slurm\"}"));
        enqueue(job);

        drain();

        assertThat(jobs.findById(job.getId()).orElseThrow().getError())
                .contains("trainer")
                .contains("unknown training executor 'slurm'");
    }

    private TrainingJob dpoJob(TrainingScenario.SrIteration sr) {
        String dataset = "{\"iterationId\": %d, \"dataset\": \"SR\"}"
                .formatted(sr.iteration().getId());
        return TrainingJob.dpo(sr.m0().getId(), sr.m0().getId(), dataset, TrainHandlerTest.FAST)
                .forIteration(sr.run().getId(), sr.iteration().getId());
    }

    private long enqueue(TrainingJob job) {
        return units.enqueue(job);
    }

    private void drain() {
        units.drain();
    }
}
