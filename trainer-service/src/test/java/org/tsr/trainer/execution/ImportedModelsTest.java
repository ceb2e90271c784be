package org.tsr.trainer.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.checkpoint.AdapterWeights;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.training.LoraOptions;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.checkpoint.CheckpointValidator;
import org.tsr.trainer.checkpoint.ValidatedCheckpoint;
import org.tsr.trainer.export.JobExport;
import org.tsr.trainer.job.PreparedJob;

/** A model written by a trainer outside the JVM, as it is checked (and, for a LoRA adapter, merged) before it is published. */
class ImportedModelsTest {

    @TempDir
    Path work;

    final ImportedModels imports = new ImportedModels(
            new CheckpointValidator(),
            new TrainerProperties(
                    0,
                    Duration.ofSeconds(1),
                    Path.of("target", "test-checkpoints"),
                    "cpu",
                    1,
                    Duration.ofSeconds(2),
                    8,
                    TrainingExecutor.EMBEDDED,
                    0,
                    new TrainerProperties.Process(List.of("-Xmx1g"))));

    @Test
    void aLoraAdapterIsMergedIntoItsBaseAsTheEngineMergesItAndKeptInsideTheModel() throws Exception {
        Path output = work.resolve("model");
        Path engineMerged = work.resolve("engine-merged");
        try (LanguageModel model = LanguageModel.load(TinyModelFixture.folder(), EngineOptions.cpu(1))) {
            LoraAdapters adapters =
                    LoraOptions.of(4, 8, 0, List.of("q_proj", "v_proj")).attachTo(model, 7);
            Random random = new Random(3);
            for (NamedParameter parameter : adapters.parameters()) {
                float[] values = new float[Math.toIntExact(parameter.shape().size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextGaussian() * 0.1f;
                }
                parameter.parameter().getArray().set(values);
            }
            // what TRL saves when it trains LoRA: the PEFT adapter folder alone
            AdapterWeights.save(adapters, output);
            model.save(engineMerged);
        }

        ValidatedCheckpoint imported = imports.importModel(job(output));

        assertThat(imported.kind()).isEqualTo(ValidatedCheckpoint.Kind.FULL);
        assertThat(output.resolve("adapter").resolve(AdapterWeights.CONFIG_FILE))
                .isRegularFile();
        assertThat(output.resolve("adapter").resolve(AdapterWeights.WEIGHTS_FILE))
                .isRegularFile();
        assertThat(Files.readAllBytes(output.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(engineMerged.resolve("model.safetensors")))
                .isNotEqualTo(Files.readAllBytes(TinyModelFixture.folder().resolve("model.safetensors")));
    }

    @Test
    void aFullModelIsCheckedAndLeftAsItIs() throws Exception {
        Path output = work.resolve("model");
        try (LanguageModel model = LanguageModel.load(TinyModelFixture.folder(), EngineOptions.cpu(1))) {
            model.save(output);
        }
        byte[] before = Files.readAllBytes(output.resolve("model.safetensors"));

        assertThat(imports.importModel(job(output)).kind()).isEqualTo(ValidatedCheckpoint.Kind.FULL);
        assertThat(Files.readAllBytes(output.resolve("model.safetensors"))).isEqualTo(before);
        assertThat(output.resolve("adapter")).doesNotExist();
    }

    @Test
    void aMissingOrCorruptModelFailsNamingTheFile() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        assertThatThrownBy(() -> imports.importModel(job(empty)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a usable checkpoint")
                .hasMessageContaining("neither config.json nor adapter_config.json");

        Path truncated = work.resolve("truncated");
        try (LanguageModel model = LanguageModel.load(TinyModelFixture.folder(), EngineOptions.cpu(1))) {
            model.save(truncated);
        }
        byte[] weights = Files.readAllBytes(truncated.resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        assertThatThrownBy(() -> imports.importModel(job(truncated)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model.safetensors");
    }

    private static PreparedJob job(Path output) {
        JobExport export = new JobExport(
                JobExport.VERSION,
                1,
                TrainingKind.DPO,
                TrainingSettings.defaults(),
                TrainerSettings.defaults(),
                TinyModelFixture.folder().toString(),
                null,
                JobExport.EXAMPLES_FILE,
                output.toString(),
                output.resolveSibling("checkpoint").toString(),
                null);
        return new PreparedJob(export, "policy", List.of(), List.of(), null);
    }
}
