package org.tsr.trainer.work;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.InferenceMode;
import org.tsr.engine.training.Trainer;
import org.tsr.engine.training.TrainingListener;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.pair.PreferencePairRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.store.training.TrainingStatus;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStatus;
import org.tsr.trainer.TrainingScenario;
import org.tsr.trainer.job.EngineTrainingOptions;
import org.tsr.trainer.job.JobJson;
import org.tsr.trainer.storage.CheckpointStorage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(properties = {"tsr.trainer.worker-threads=0", "tsr.trainer.checkpoint-dir=target/test-checkpoints"})
class TrainHandlerTest {

    static final String FAST = """
            {"learningRate": 0.001, "epochs": 2, "batchSize": 2, "beta": 0.1, "maxLength": 96, "checkpointEvery": 1}
            """;

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
    CheckpointStorage storage;

    @Autowired
    MeterRegistry meters;

    final JsonMapper json = JsonMapper.builder().build();

    private long enqueue(TrainingJob job) {
        return units.enqueue(job);
    }

    private void drain() {
        units.drain();
    }

    private TrainingJob dpoJob(TrainingScenario.SrIteration sr) {
        String dataset = "{\"iterationId\": %d, \"dataset\": \"SR\"}"
                .formatted(sr.iteration().getId());
        return jobs.save(TrainingJob.dpo(sr.m0().getId(), sr.m0().getId(), dataset, FAST)
                .forIteration(sr.run().getId(), sr.iteration().getId()));
    }

    @Test
    void dpoUnitTrainsAndRegistersTheNextGenerationWithItsParentMetricsAndCheckpoint() throws Exception {
        TrainingScenario.SrIteration sr = scenario.srIteration();
        TrainingJob job = dpoJob(sr);
        long unit = enqueue(job);

        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.DONE);
        TrainingJob done = jobs.findById(job.getId()).orElseThrow();
        assertThat(done.getStatus()).as(done.getError()).isEqualTo(TrainingStatus.SUCCEEDED);
        assertThat(done.getTotalSteps()).isEqualTo(4);
        assertThat(done.getStep()).isEqualTo(4);
        JsonNode metrics = json.readTree(done.getMetrics());
        assertThat(metrics.get("rewards/margins").asDouble()).isGreaterThan(0);
        assertThat(metrics.get("rewards/accuracies").asDouble()).isEqualTo(1.0);
        assertThat(metrics.get("resumed_from_step").asInt()).isZero();

        ModelGeneration output =
                generations.findById(done.getOutputGenerationId()).orElseThrow();
        assertThat(output.getStatus()).isEqualTo(GenerationStatus.READY);
        assertThat(output.getKind()).isEqualTo(GenerationKind.POLICY);
        assertThat(output.getParentId()).isEqualTo(sr.m0().getId());
        assertThat(output.getRunId()).isEqualTo(sr.run().getId());
        assertThat(output.getIterationId()).isEqualTo(sr.iteration().getId());
        assertThat(output.getCheckpointFormat()).isEqualTo(CheckpointFormat.HF_SAFETENSORS);
        assertThat(json.readTree(output.getMetrics()).get("rewards/margins").asDouble())
                .isEqualTo(metrics.get("rewards/margins").asDouble());
        Path folder = Path.of(URI.create(output.getCheckpointUri()));
        try (LanguageModel trained = LanguageModel.load(folder, EngineOptions.cpu(1));
                LanguageModel m0 = LanguageModel.load(TinyModelFixture.folder(), EngineOptions.cpu(1))) {
            assertThat(embedding(trained)).isNotEqualTo(embedding(m0));
        }

        for (PreferencePair pair :
                pairs.findAllById(sr.pairs().stream().map(PreferencePair::getId).toList())) {
            assertThat(pair.getReferenceChosenLogp()).isNegative();
            assertThat(pair.getReferenceRejectedLogp()).isNegative();
        }
        assertThat(Files.exists(storage.workDir(job.getId()).resolve("checkpoint")))
                .isFalse();
        assertThat(meters.get("tsr.train.reward.margin")
                        .tags("kind", "dpo", "model_role", "policy")
                        .gauge()
                        .value())
                .isFinite();
        assertThat(meters.get("tsr.train.job")
                        .tags("kind", "dpo", "outcome", "succeeded")
                        .timer()
                        .count())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.get("tsr.train.tokens").counter().count()).isPositive();
    }

    @Test
    void aLoraDpoUnitTrainsAdaptersOnTheFrozenBaseAndRegistersTheModelWithThemMerged() throws Exception {
        TrainingScenario.SrIteration sr = scenario.srIteration();
        String dataset = "{\"iterationId\": %d, \"dataset\": \"SR\"}"
                .formatted(sr.iteration().getId());
        String lora = """
                {"learningRate": 0.01, "epochs": 2, "batchSize": 2, "maxLength": 96, "checkpointEvery": 1,
                 "lora": {"rank": 4, "alpha": 8, "targetModules": ["q_proj", "v_proj", "down_proj"]}}
                """;
        TrainingJob job = jobs.save(TrainingJob.dpo(sr.m0().getId(), sr.m0().getId(), dataset, lora)
                .forIteration(sr.run().getId(), sr.iteration().getId()));
        enqueue(job);

        drain();

        TrainingJob done = jobs.findById(job.getId()).orElseThrow();
        assertThat(done.getStatus()).as(done.getError()).isEqualTo(TrainingStatus.SUCCEEDED);
        assertThat(json.readTree(done.getMetrics()).get("rewards/margins").asDouble())
                .isGreaterThan(0);
        assertThat(done.getLogTail()).contains("LoRA rank 4 on [q_proj, v_proj, down_proj]");
        ModelGeneration output =
                generations.findById(done.getOutputGenerationId()).orElseThrow();
        Path folder = Path.of(URI.create(output.getCheckpointUri()));
        try (LanguageModel trained = LanguageModel.load(folder, EngineOptions.cpu(1));
                LanguageModel m0 = LanguageModel.load(TinyModelFixture.folder(), EngineOptions.cpu(1))) {
            // a plain model: the adapted projections merged, everything else the base's
            assertThat(trained.network().lora()).isEmpty();
            assertThat(weight(trained, "model.embed_tokens.weight"))
                    .containsExactly(weight(m0, "model.embed_tokens.weight"));
            assertThat(weight(trained, "model.layers.0.self_attn.k_proj.weight"))
                    .containsExactly(weight(m0, "model.layers.0.self_attn.k_proj.weight"));
            assertThat(java.util.Arrays.equals(
                            weight(trained, "model.layers.0.self_attn.v_proj.weight"),
                            weight(m0, "model.layers.0.self_attn.v_proj.weight")))
                    .isFalse();
        }
    }

    @Test
    void aJobClaimedAgainResumesFromTheTrainingCheckpointItsKilledAttemptLeft() throws Exception {
        TrainingScenario.SrIteration sr = scenario.srIteration();
        TrainingJob job = dpoJob(sr);
        // the killed attempt: 3 pairs like the job's, trained with the job's settings until it died after step 2
        TrainingSettings settings = JobJson.settings(FAST, TrainingKind.DPO);
        try (LanguageModel model = LanguageModel.load(TinyModelFixture.folder(), EngineOptions.cpu(1))) {
            long[] ids = model.tokenizer().encode("sort: cba");
            List<PreferenceExample> examples = List.of(
                    new PreferenceExample(ids, ids, ids, -5.0, -6.0),
                    new PreferenceExample(ids, ids, ids, -5.0, -6.0),
                    new PreferenceExample(ids, ids, ids, -5.0, -6.0));
            TrainingListener dies = metrics -> {
                if (metrics.step() == 3) {
                    throw new IllegalStateException("killed");
                }
            };
            try {
                new Trainer<>(
                                model,
                                new DpoObjective(model, EngineTrainingOptions.dpo(settings)),
                                EngineTrainingOptions.training(settings, TrainingKind.DPO))
                        .train(examples, dies, storage.workDir(job.getId()).resolve("checkpoint"));
            } catch (IllegalStateException expected) {
                // as if the process had been killed
            }
        }

        enqueue(job);
        drain();

        TrainingJob done = jobs.findById(job.getId()).orElseThrow();
        assertThat(done.getStatus()).as(done.getError()).isEqualTo(TrainingStatus.SUCCEEDED);
        assertThat(json.readTree(done.getMetrics()).get("resumed_from_step").asInt())
                .isEqualTo(2);
        assertThat(done.getStep()).isEqualTo(4);
    }

    @Test
    void sftUnitTrainsOnTheReferenceAnswersOfTheIftAndEftSplits() throws Exception {
        ModelGeneration base = scenario.m0();
        PromptSet set = scenario.sftPrompts();
        TrainingJob job = jobs.save(TrainingJob.sft(
                base.getId(),
                "{\"promptSetId\": " + set.getId() + "}",
                "{\"learningRate\": 0.001, \"epochs\": 1, \"batchSize\": 2}"));
        enqueue(job);

        drain();

        TrainingJob done = jobs.findById(job.getId()).orElseThrow();
        assertThat(done.getStatus()).as(done.getError()).isEqualTo(TrainingStatus.SUCCEEDED);
        JsonNode metrics = json.readTree(done.getMetrics());
        assertThat(metrics.get("examples").asInt()).isEqualTo(3);
        assertThat(metrics.has("rewards/margins")).isFalse();
        ModelGeneration output =
                generations.findById(done.getOutputGenerationId()).orElseThrow();
        assertThat(output.getKind()).isEqualTo(GenerationKind.SFT);
        assertThat(output.getParentId()).isEqualTo(base.getId());
        assertThat(done.getLogTail()).contains("SFT on 3 examples, 2 steps");
    }

    @Test
    void aBrokenBaseCheckpointFailsTheJobWithItsReasonAndRegistersNothing() throws Exception {
        Path empty = Files.createTempDirectory("no-weights");
        ModelGeneration broken = generations.save(ModelGeneration.imported(
                "broken", GenerationKind.SFT, empty.toUri().toString(), CheckpointFormat.HF_SAFETENSORS));
        PromptSet set = scenario.sftPrompts();
        TrainingJob job = jobs.save(TrainingJob.sft(broken.getId(), "{\"promptSetId\": " + set.getId() + "}", "{}"));
        long generationsBefore = generations.count();
        long unit = enqueue(job);

        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        TrainingJob failed = jobs.findById(job.getId()).orElseThrow();
        assertThat(failed.getStatus()).isEqualTo(TrainingStatus.FAILED);
        assertThat(failed.getError()).contains("config.json");
        assertThat(failed.getOutputGenerationId()).isNull();
        assertThat(generations.count()).isEqualTo(generationsBefore);
    }

    @Test
    void aBaseWithANonFiniteWeightFailsTheJobNamingItAndRegistersNothing() throws Exception {
        Path folder = Files.createTempDirectory("nan-weight");
        try (LanguageModel model = LanguageModel.load(TinyModelFixture.folder(), EngineOptions.cpu(1));
                InferenceMode noGradients = InferenceMode.enter()) {
            NDArray norm = model.network().namedParameters().stream()
                    .filter(parameter -> parameter.name().equals("model.norm.weight"))
                    .findFirst()
                    .orElseThrow()
                    .parameter()
                    .getArray();
            float[] values = norm.toFloatArray();
            values[0] = Float.NaN;
            norm.set(values);
            model.save(folder);
        }
        ModelGeneration corrupt = generations.save(ModelGeneration.imported(
                "corrupt", GenerationKind.SFT, folder.toUri().toString(), CheckpointFormat.HF_SAFETENSORS));
        PromptSet set = scenario.sftPrompts();
        TrainingJob job = jobs.save(TrainingJob.sft(
                corrupt.getId(), "{\"promptSetId\": " + set.getId() + "}", "{\"epochs\": 1, \"batchSize\": 2}"));
        long generationsBefore = generations.count();
        long unit = enqueue(job);

        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        TrainingJob failed = jobs.findById(job.getId()).orElseThrow();
        assertThat(failed.getStatus()).isEqualTo(TrainingStatus.FAILED);
        assertThat(failed.getError())
                .contains("NonFiniteLossException")
                .contains("parameter model.norm.weight is not finite before the first step");
        assertThat(generations.count()).isEqualTo(generationsBefore);
    }

    @Test
    void unknownSettingsFailTheJobNamingTheSetting() {
        ModelGeneration base = scenario.m0();
        PromptSet set = scenario.sftPrompts();
        TrainingJob job = jobs.save(
                TrainingJob.sft(base.getId(), "{\"promptSetId\": " + set.getId() + "}", "{\"learningRte\": 0.1}"));
        long unit = enqueue(job);

        drain();

        assertThat(queue.find(unit).orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        assertThat(jobs.findById(job.getId()).orElseThrow().getError()).contains("learningRte");
    }

    private static float[] weight(LanguageModel model, String name) {
        return model.network().namedParameters().stream()
                .filter(parameter -> parameter.name().equals(name))
                .findFirst()
                .orElseThrow()
                .parameter()
                .getArray()
                .toFloatArray();
    }

    private static float[] embedding(LanguageModel model) {
        return model.network().namedParameters().get(0).parameter().getArray().toFloatArray();
    }
}
