package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.Architecture;
import org.tsr.engine.model.ModelConfig;
import tools.jackson.databind.node.ObjectNode;

/** Saved folders against the layout transformers and vLLM load (see {@link HfLayout}). */
class HfLayoutTest {

    @TempDir
    Path dir;

    @Test
    void aSavedFloat32ModelWithBiasesAndAnUntiedHeadFollowsTheLayout() throws Exception {
        Path saved = save(TestModels.qwen2(), TensorDtype.F32, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        assertThat(HfLayout.violations(saved)).isEmpty();
        assertThat(saved.resolve("model.safetensors")).exists();
        assertThat(saved.resolve("model.safetensors.index.json")).doesNotExist();
        assertThat(HfConfigFile.readJson(saved.resolve("config.json"))
                        .path("torch_dtype")
                        .asString())
                .isEqualTo("float32");
    }

    @Test
    void aSavedBfloat16ModelInShardsFollowsTheLayout() throws Exception {
        Path saved = save(TestModels.llama(), TensorDtype.BF16, 10_000);
        assertThat(StoredTensors.shardCount(saved)).isGreaterThanOrEqualTo(3);
        assertThat(HfLayout.violations(saved)).isEmpty();
        assertThat(StoredTensors.of(saved).dtypes().keySet())
                .contains("model.embed_tokens.weight", "model.norm.weight")
                .doesNotContain("lm_head.weight");
        assertThat(HfConfigFile.readJson(saved.resolve("config.json"))
                        .path("torch_dtype")
                        .asString())
                .isEqualTo("bfloat16");
    }

    @Test
    void aSavedFloat16Qwen3ModelFollowsTheLayout() throws Exception {
        ModelConfig qwen3 = TestModels.config(Architecture.QWEN3, false, false, false);
        Path saved = save(qwen3, TensorDtype.F16, 30_000);
        assertThat(HfLayout.violations(saved)).isEmpty();
        assertThat(StoredTensors.of(saved).dtypes()).containsKey("model.layers.1.self_attn.q_norm.weight");
    }

    @Test
    void theRulesCatchABrokenIndexAndADtypeTheConfigDoesNotName() throws Exception {
        Path saved = save(TestModels.llama(), TensorDtype.BF16, 10_000);
        Path indexFile = saved.resolve("model.safetensors.index.json");
        ObjectNode index = (ObjectNode) HfConfigFile.readJson(indexFile);
        ObjectNode metadata = (ObjectNode) index.get("metadata");
        metadata.put("total_size", metadata.get("total_size").asLong() + 2);
        ((ObjectNode) index.get("weight_map")).put("model.norm.weight", "model-00001-of-00009.safetensors");
        HfConfigFile.writeJson(index, indexFile);
        ObjectNode config = HfConfigFile.readSource(saved.resolve("config.json"));
        config.put("torch_dtype", "float16");
        HfConfigFile.writeJson(config, saved.resolve("config.json"));

        assertThat(HfLayout.violations(saved))
                .anyMatch(v -> v.startsWith("metadata.total_size"))
                .anyMatch(v -> v.startsWith("model.norm.weight: in model-"))
                .anyMatch(v -> v.contains("torch_dtype is 'float16'"));
    }

    @Test
    void theRulesCatchAMissingHeadAndAWrongShape() throws Exception {
        Path saved = save(TestModels.qwen2(), TensorDtype.F32, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        ObjectNode config = HfConfigFile.readSource(saved.resolve("config.json"));
        config.put("intermediate_size", 48);
        config.put("tie_word_embeddings", false);
        HfConfigFile.writeJson(config, saved.resolve("config.json"));
        Path tied = save(TestModels.llama(), TensorDtype.F32, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        ObjectNode untied = HfConfigFile.readSource(tied.resolve("config.json"));
        untied.put("tie_word_embeddings", false);
        HfConfigFile.writeJson(untied, tied.resolve("config.json"));

        assertThat(HfLayout.violations(saved)).anyMatch(v -> v.startsWith("model.layers.0.mlp.up_proj.weight: shape"));
        assertThat(HfLayout.violations(tied)).containsExactly("lm_head.weight: missing");
    }

    private Path save(ModelConfig config, TensorDtype dtype, long maxShardBytes) throws Exception {
        Path source = TestModels.write(Files.createTempDirectory(dir, "source"), config, 21, dtype);
        Path saved = Files.createTempDirectory(dir, "saved");
        try (LanguageModel model = LanguageModel.load(source, TestModels.options())) {
            model.save(saved, maxShardBytes);
        }
        return saved;
    }
}
