package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.model.Architecture;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.UnsupportedArchitectureException;

class HfConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void readsAQwen2ConfigWithImplicitQkvBiasAndTiedHead() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 896,
                 "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14,
                 "num_key_value_heads": 2, "max_position_embeddings": 32768, "rms_norm_eps": 1e-06,
                 "rope_theta": 1000000.0, "tie_word_embeddings": true, "vocab_size": 151936,
                 "bos_token_id": 151643, "eos_token_id": 151643, "hidden_act": "silu",
                 "sliding_window": 32768, "use_sliding_window": false, "torch_dtype": "bfloat16"}
                """);
        assertThat(config.architecture()).isEqualTo(Architecture.QWEN2);
        assertThat(config.qkvBias()).isTrue();
        assertThat(config.outputBias()).isFalse();
        assertThat(config.headDim()).isEqualTo(64);
        assertThat(config.queriesPerKeyValueHead()).isEqualTo(7);
        assertThat(config.ropeTheta()).isEqualTo(1_000_000.0);
        assertThat(config.tieWordEmbeddings()).isTrue();
        assertThat(config.slidingWindow()).isZero();
        assertThat(config.contextLength()).isEqualTo(32768);
    }

    @Test
    void readsALlamaConfigWithListedEosAndDefaults() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 2048, "intermediate_size": 5632,
                 "num_hidden_layers": 22, "num_attention_heads": 32, "num_key_value_heads": 4,
                 "vocab_size": 32000, "rope_scaling": null, "eos_token_id": [2, 32000]}
                """);
        assertThat(config.architecture()).isEqualTo(Architecture.LLAMA);
        assertThat(config.qkvBias()).isFalse();
        assertThat(config.tieWordEmbeddings()).isFalse();
        assertThat(config.eosTokenId()).isEqualTo(2);
        assertThat(config.ropeTheta()).isEqualTo(10000.0);
    }

    @Test
    void readsAMistralConfigWithExplicitHeadDim() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["MistralForCausalLM"], "hidden_size": 5120, "intermediate_size": 14336,
                 "num_hidden_layers": 40, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128,
                 "vocab_size": 131072, "rope_theta": 1000000.0, "sliding_window": null}
                """);
        assertThat(config.architecture()).isEqualTo(Architecture.MISTRAL);
        assertThat(config.headDim()).isEqualTo(128);
        assertThat(config.contextLength()).isEqualTo(2048);
    }

    @Test
    void aMistralSlidingWindowLimitsTheContextAndRoundTrips() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["MistralForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "vocab_size": 10, "max_position_embeddings": 32768, "sliding_window": 4096}
                """);
        assertThat(config.slidingWindow()).isEqualTo(4096);
        assertThat(config.contextLength()).isEqualTo(4096);
        Path file = dir.resolve("saved.json");
        HfConfigFile.write(config, file);
        assertThat(HfConfigFile.read(file)).isEqualTo(config);
    }

    @Test
    void refusesRopeScalingItDoesNotImplement() throws Exception {
        assertThatThrownBy(() -> read("""
                        {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
                         "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 10,
                         "rope_scaling": {"rope_type": "llama3", "factor": 8.0}}
                        """))
                .isInstanceOf(UnsupportedArchitectureException.class)
                .hasMessageContaining("rope_scaling");
    }

    @Test
    void refusesConfigsThatAreNotJson() throws Exception {
        assertThatThrownBy(() -> read("{not json"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("not valid JSON");
    }

    private ModelConfig read(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return HfConfigFile.read(file);
    }
}
