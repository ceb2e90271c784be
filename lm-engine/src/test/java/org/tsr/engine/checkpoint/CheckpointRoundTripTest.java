package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;

class CheckpointRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void saveThenLoadIsBitExact() {
        Path source = TestModels.write(dir.resolve("source"), TestModels.qwen2(), 3);
        Path saved = dir.resolve("saved");
        try (LanguageModel original = LanguageModel.load(source, TestModels.options())) {
            original.save(saved);
            try (LanguageModel reloaded = LanguageModel.load(saved, TestModels.options())) {
                assertSameWeights(original, reloaded);
                assertThat(reloaded.config()).isEqualTo(original.config());
            }
        }
        assertThat(saved.resolve("config.json")).exists();
        assertThat(saved.resolve("generation_config.json")).exists();
        assertThat(saved.resolve("tokenizer.json")).exists();
        assertThat(saved.resolve("tokenizer_config.json")).exists();
        assertThat(saved.resolve("model.safetensors")).exists();
    }

    @Test
    void savesAndLoadsShardedCheckpoints() throws Exception {
        Path source = TestModels.write(dir.resolve("source"), TestModels.llama(), 4);
        Path sharded = dir.resolve("sharded");
        try (LanguageModel original = LanguageModel.load(source, TestModels.options())) {
            original.save(sharded, 20_000);
            try (LanguageModel reloaded = LanguageModel.load(sharded, TestModels.options())) {
                assertSameWeights(original, reloaded);
            }
        }
        assertThat(sharded.resolve("model.safetensors")).doesNotExist();
        assertThat(sharded.resolve("model.safetensors.index.json")).exists();
        try (var files = Files.list(sharded)) {
            assertThat(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")))
                    .hasSizeGreaterThan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TensorDtype.class)
    void savesBitExactInTheSourceDtypeAcrossThreeOrMoreShards(TensorDtype dtype) throws Exception {
        Path source = TestModels.write(dir.resolve("source"), TestModels.qwen2(), 6, dtype);
        Path saved = dir.resolve("saved");
        try (LanguageModel model = LanguageModel.load(source, TestModels.options())) {
            model.save(saved, 10_000);
        }
        assertThat(StoredTensors.shardCount(saved)).isGreaterThanOrEqualTo(3);
        StoredTensors before = StoredTensors.of(source);
        StoredTensors after = StoredTensors.of(saved);
        assertThat(after.dtypes())
                .isEqualTo(before.dtypes())
                .allSatisfy((name, stored) -> assertThat(stored).isEqualTo(dtype));
        assertThat(after.bytes()).isEqualTo(before.bytes());
    }

    @Test
    void tiedCheckpointsLeaveOutTheHead() {
        Path source = TestModels.write(dir.resolve("tied"), TestModels.llama(), 5);
        try (SafetensorsReader reader = SafetensorsReader.open(source.resolve("model.safetensors"))) {
            assertThat(reader.entries())
                    .containsKey("model.embed_tokens.weight")
                    .doesNotContainKey("lm_head.weight");
            assertThat(reader.entries()).containsKey("model.layers.1.self_attn.q_proj.weight");
        }
    }

    @Test
    void configRoundTripsThroughConfigJson() {
        ModelConfig config = TestModels.qwen2();
        Path file = dir.resolve("config.json");
        HfConfigFile.write(config, file);
        assertThat(HfConfigFile.read(file)).isEqualTo(config);
    }

    private static void assertSameWeights(LanguageModel expected, LanguageModel actual) {
        var actualByName = new java.util.HashMap<String, NamedParameter>();
        actual.network().namedParameters().forEach(p -> actualByName.put(p.name(), p));
        assertThat(actualByName).hasSameSizeAs(expected.network().namedParameters());
        for (NamedParameter parameter : expected.network().namedParameters()) {
            float[] want = parameter.parameter().getArray().toFloatArray();
            float[] got =
                    actualByName.get(parameter.name()).parameter().getArray().toFloatArray();
            assertThat(got).as(parameter.name()).containsExactly(want);
        }
    }
}
