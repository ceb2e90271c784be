package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.model.Architecture;
import org.tsr.engine.model.Llama3RopeScaling;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.RopeScaling;
import org.tsr.engine.model.UnsupportedArchitectureException;
import org.tsr.engine.model.YarnRopeScaling;

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
    void readsLlama32RopeScalingAndWritesItBack() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 2048,
                 "intermediate_size": 8192, "num_hidden_layers": 16, "num_attention_heads": 32,
                 "num_key_value_heads": 8, "head_dim": 64, "vocab_size": 128256, "max_position_embeddings": 131072,
                 "rope_theta": 500000.0, "tie_word_embeddings": true,
                 "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"}}
                """);
        assertThat(config.ropeTheta()).isEqualTo(500000.0);
        assertThat(config.ropeScaling()).isEqualTo(new Llama3RopeScaling(32.0, 1.0, 4.0, 8192));
        assertThat(config.contextLength()).isEqualTo(131072);
        assertThat(roundTrip(config)).isEqualTo(config);
    }

    @Test
    void readsTransformers5RopeParametersWithTheirTheta() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 10, "max_position_embeddings": 1024,
                 "rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
                                     "low_freq_factor": 1.0, "high_freq_factor": 4.0}}
                """);
        assertThat(config.ropeTheta()).isEqualTo(500000.0);
        // transformers 5 fills a missing original_max_position_embeddings with max_position_embeddings
        assertThat(config.ropeScaling()).isEqualTo(new Llama3RopeScaling(8.0, 1.0, 4.0, 1024));
        assertThat(roundTrip(config)).isEqualTo(config);
    }

    @Test
    void aSavedTransformers5ConfigKeepsItsRopeParametersAloneAndItsDtypeKeyFollowsTheWeights() throws Exception {
        String source = """
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 10, "max_position_embeddings": 1024,
                 "dtype": "float32",
                 "rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
                                     "low_freq_factor": 1.0, "high_freq_factor": 4.0}}
                """;
        ModelConfig config = read(source);
        Path saved = dir.resolve("saved.json");

        HfConfigFile.write(config, HfConfigFile.readSource(dir.resolve("config.json")), TensorDtype.BF16, saved);

        var json = HfConfigFile.readJson(saved);
        assertThat(json.has("rope_theta")).isFalse();
        assertThat(json.has("rope_scaling")).isFalse();
        assertThat(json.get("rope_parameters"))
                .isEqualTo(HfConfigFile.readJson(dir.resolve("config.json")).get("rope_parameters"));
        assertThat(json.get("dtype").asString()).isEqualTo("bfloat16");
        assertThat(json.get("torch_dtype").asString()).isEqualTo("bfloat16");
        assertThat(HfConfigFile.read(saved)).isEqualTo(config);
    }

    @Test
    void readsDefaultRopeParametersAsUnscaled() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["MistralForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 10,
                 "rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0}}
                """);
        assertThat(config.ropeScaling()).isEqualTo(RopeScaling.NONE);
        assertThat(config.ropeTheta()).isEqualTo(1_000_000.0);
    }

    @Test
    void readsTheLegacyTypeKeyForLinearAndDynamicScaling() throws Exception {
        ModelConfig linear = read(llamaWith("\"rope_scaling\": {\"type\": \"linear\", \"factor\": 4.0}"));
        assertThat(linear.ropeScaling()).isEqualTo(new RopeScaling.Linear(4.0));
        assertThat(roundTrip(linear)).isEqualTo(linear);
        ModelConfig dynamic = read(llamaWith("\"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2.0}"));
        assertThat(dynamic.ropeScaling()).isEqualTo(new RopeScaling.DynamicNtk(2.0));
        // dynamic NTK exists to read past max_position_embeddings (here 64)
        assertThat(dynamic.contextLength()).isEqualTo(128);
        assertThat(roundTrip(dynamic)).isEqualTo(dynamic);
    }

    @Test
    void readsYarnWithTransformersDefaults() throws Exception {
        // null is how a config saved from Python writes None: the default applies
        ModelConfig config = read(llamaWith("""
                "rope_scaling": {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32,
                                 "attention_factor": null, "beta_fast": null, "beta_slow": null}"""));
        YarnRopeScaling yarn = (YarnRopeScaling) config.ropeScaling();
        assertThat(yarn.originalMaxPositionEmbeddings()).isEqualTo(32);
        assertThat(yarn.attentionFactor()).isCloseTo(0.1 * Math.log(4.0) + 1, offset(1e-12));
        assertThat(yarn.betaFast()).isEqualTo(32.0);
        assertThat(yarn.betaSlow()).isEqualTo(1.0);
        assertThat(yarn.truncate()).isTrue();
        assertThat(roundTrip(config)).isEqualTo(config);
        ModelConfig topLevel = read(llamaWith("""
                "original_max_position_embeddings": 16,
                "rope_scaling": {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32}"""));
        // a top-level value wins, as in transformers 5 (Phi-3 configs keep it there)
        assertThat(((YarnRopeScaling) topLevel.ropeScaling()).originalMaxPositionEmbeddings())
                .isEqualTo(16);
    }

    @Test
    void refusesRopeTypesItDoesNotImplementNamingThem() throws Exception {
        assertThatThrownBy(() -> read(llamaWith("""
                        "rope_scaling": {"rope_type": "longrope", "short_factor": [1.0], "long_factor": [2.0]}""")))
                .isInstanceOf(UnsupportedArchitectureException.class)
                .hasMessageContaining("rope_scaling")
                .hasMessageContaining("'longrope'");
        assertThatThrownBy(() -> read(llamaWith("\"rope_parameters\": {\"rope_type\": \"proportional\"}")))
                .isInstanceOf(UnsupportedArchitectureException.class)
                .hasMessageContaining("rope_parameters")
                .hasMessageContaining("'proportional'");
    }

    @Test
    void refusesLlama3ScalingWithoutItsFrequencyFactors() throws Exception {
        assertThatThrownBy(() -> read(llamaWith("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0}")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("low_freq_factor");
    }

    @Test
    void readsAQwen3ConfigWithQkNormAndAHeadDimOfItsOwn() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "hidden_size": 1024,
                 "intermediate_size": 3072, "num_hidden_layers": 28, "num_attention_heads": 16,
                 "num_key_value_heads": 8, "head_dim": 128, "max_position_embeddings": 40960,
                 "rms_norm_eps": 1e-06, "rope_theta": 1000000, "rope_scaling": null, "attention_bias": false,
                 "tie_word_embeddings": true, "use_sliding_window": false, "sliding_window": null,
                 "max_window_layers": 28, "vocab_size": 151936, "bos_token_id": 151643, "eos_token_id": 151645}
                """);
        assertThat(config.architecture()).isEqualTo(Architecture.QWEN3);
        assertThat(config.qkNorm()).isTrue();
        assertThat(config.headDim()).isEqualTo(128);
        assertThat(config.hiddenSize() / config.numAttentionHeads()).isEqualTo(64);
        assertThat(config.qkvBias()).isFalse();
        assertThat(config.outputBias()).isFalse();
        assertThat(config.slidingWindow()).isZero();
        // the model card's 0.44B non-embedding parameters, q/k norms included
        assertThat(config.parameterCount() - 151936L * 1024).isEqualTo(440_467_456L);
        Path saved = dir.resolve("saved.json");
        HfConfigFile.write(config, saved);
        String json = Files.readString(saved);
        assertThat(json).contains("\"model_type\" : \"qwen3\"").contains("\"head_dim\" : 128");
        assertThat(HfConfigFile.read(saved)).isEqualTo(config);
    }

    @Test
    void aQwen3ConfigWithoutHeadDimUsesTransformersDefaultOf128() throws Exception {
        ModelConfig config = read("""
                {"architectures": ["Qwen3ForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 10, "attention_bias": true}
                """);
        assertThat(config.headDim()).isEqualTo(128);
        assertThat(config.qkvBias()).isTrue();
        assertThat(config.outputBias()).isTrue();
    }

    @Test
    void refusesConfigsThatAreNotJson() throws Exception {
        assertThatThrownBy(() -> read("{not json"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("not valid JSON");
    }

    private static String llamaWith(String ropeEntry) {
        return """
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 10, "max_position_embeddings": 64,
                 %s}
                """.formatted(ropeEntry);
    }

    private ModelConfig roundTrip(ModelConfig config) {
        Path file = dir.resolve("round-trip.json");
        HfConfigFile.write(config, file);
        return HfConfigFile.read(file);
    }

    private ModelConfig read(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return HfConfigFile.read(file);
    }
}
