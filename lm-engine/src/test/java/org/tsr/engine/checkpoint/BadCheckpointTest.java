package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.UnsupportedArchitectureException;

class BadCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void missingTensorNamesFileAndTensor() {
        ModelConfig config = TestModels.llama();
        TestModels.write(dir, config, 1);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>(TestModels.randomTensors(config, 1));
        tensors.removeIf(t -> t.name().equals("model.layers.1.mlp.up_proj.weight"));
        HfWeights.write(tensors, dir, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve("model.safetensors").toString())
                .hasMessageContaining("model.layers.1.mlp.up_proj.weight")
                .hasMessageContaining("missing");
    }

    @Test
    void untiedConfigWithoutHeadReportsTheHead() throws Exception {
        TestModels.write(dir, TestModels.llama(), 1);
        ModelConfig untied = TestModels.config(org.tsr.engine.model.Architecture.LLAMA, false, false, false);
        HfConfigFile.write(untied, dir.resolve("config.json"));
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("lm_head.weight");
    }

    @Test
    void shapeMismatchNamesFileTensorAndShapes() {
        ModelConfig config = TestModels.llama();
        TestModels.write(dir, config, 1);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (SafetensorsWriter.Tensor t : TestModels.randomTensors(config, 1)) {
            tensors.add(
                    t.name().equals("model.layers.0.self_attn.k_proj.weight")
                            ? new SafetensorsWriter.Tensor(t.name(), new long[] {32, 16}, new float[32 * 16])
                            : t);
        }
        HfWeights.write(tensors, dir, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining("model.layers.0.self_attn.k_proj.weight")
                .hasMessageContaining("[32, 16]")
                .hasMessageContaining("(16, 32)");
    }

    @Test
    void truncatedWeightsFileNamesFileAndTensor() throws Exception {
        TestModels.write(dir, TestModels.llama(), 1);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("model.norm.weight");
    }

    @Test
    void unexpectedTensorIsNamed() {
        ModelConfig config = TestModels.llama();
        TestModels.write(dir, config, 1);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>(TestModels.randomTensors(config, 1));
        tensors.add(new SafetensorsWriter.Tensor("model.layers.0.mlp.extra.weight", new long[] {2}, new float[2]));
        HfWeights.write(tensors, dir, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.layers.0.mlp.extra.weight");
    }

    @Test
    void shardListedInIndexButAbsentIsNamed() throws Exception {
        TestModels.write(dir, TestModels.llama(), 1);
        Files.delete(dir.resolve("model.safetensors"));
        Files.writeString(
                dir.resolve("model.safetensors.index.json"),
                "{\"metadata\":{},\"weight_map\":{\"model.norm.weight\":\"model-00002-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model-00002-of-00002.safetensors")
                .hasMessageContaining("model.norm.weight");
    }

    @Test
    void directoryWithoutWeightsSaysWhatIsMissing() throws Exception {
        TestModels.write(dir, TestModels.llama(), 1);
        Files.delete(dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.safetensors.index.json");
    }

    @Test
    void unsupportedArchitectureIsNamed() throws Exception {
        Files.writeString(
                dir.resolve("config.json"),
                "{\"architectures\":[\"GPT2LMHeadModel\"],\"vocab_size\":10,\"hidden_size\":8}");
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(UnsupportedArchitectureException.class)
                .hasMessageContaining("GPT2LMHeadModel")
                .hasMessageContaining("config.json");
    }

    @Test
    void missingConfigFieldIsNamed() throws Exception {
        Files.writeString(
                dir.resolve("config.json"),
                "{\"architectures\":[\"MistralForCausalLM\"],\"vocab_size\":10,\"hidden_size\":8,\"num_attention_heads\":2}");
        assertThatThrownBy(() -> LanguageModel.load(dir, TestModels.options()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("intermediate_size");
    }
}
