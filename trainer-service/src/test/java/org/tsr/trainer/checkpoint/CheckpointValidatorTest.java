package org.tsr.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.trainer.checkpoint.SafetensorsFiles.Tensor;
import tools.jackson.databind.node.ObjectNode;

class CheckpointValidatorTest {

    private static final int HIDDEN = 16;
    private static final int INTERMEDIATE = 32;
    private static final int LAYERS = 2;
    private static final int HEADS = 2;
    private static final int KV_HEADS = 1;

    /** embeddings and the final norm, then per layer four projections, three MLP matrices and two norms; tied */
    private static final int TENSORS = 2 + LAYERS * 9;

    private final CheckpointValidator validator = new CheckpointValidator();
    private final CharacterVocabulary vocabulary = CharacterVocabulary.ascii();

    @TempDir
    Path dir;

    private Path model;

    @BeforeEach
    void writeTinyModel() {
        model = TinyModels.create(
                dir.resolve("model"),
                TinyModels.config(vocabulary, HIDDEN, INTERMEDIATE, LAYERS, HEADS, KV_HEADS, 64),
                vocabulary,
                11);
    }

    @Test
    void acceptsTheEnginesOwnCheckpointAsAFullModel() {
        ValidatedCheckpoint checkpoint = validator.validate(model);

        assertThat(checkpoint.kind()).isEqualTo(ValidatedCheckpoint.Kind.FULL);
        assertThat(checkpoint.tensorCount()).isEqualTo(TENSORS);
        assertThat(checkpoint.parameterCount()).isEqualTo(expectedParameters());
        assertThat(checkpoint.dtypes()).containsExactly("F32");
        assertThat(checkpoint.folder()).isEqualTo(model);
    }

    @Test
    void acceptsAShardedCheckpoint() throws IOException {
        shard(model);

        ValidatedCheckpoint checkpoint = validator.validate(model);

        assertThat(checkpoint.kind()).isEqualTo(ValidatedCheckpoint.Kind.FULL);
        assertThat(checkpoint.tensorCount()).isEqualTo(TENSORS);
        assertThat(checkpoint.parameterCount()).isEqualTo(expectedParameters());
    }

    @Test
    void refusesAFolderWithoutAConfig() throws IOException {
        Files.delete(model.resolve("config.json"));

        assertInvalid(model, "not a checkpoint: neither config.json nor adapter_config.json in " + model);
    }

    @Test
    void refusesAConfigWithoutTheLayerCount() throws IOException {
        ObjectNode config = (ObjectNode) SafetensorsFiles.JSON.readTree(Files.readString(model.resolve("config.json")));
        config.remove("num_hidden_layers");
        Files.writeString(model.resolve("config.json"), config.toString());

        assertInvalid(model, "config.json: num_hidden_layers is missing");
    }

    @Test
    void refusesATruncatedSafetensorsFile() throws IOException {
        Path weights = model.resolve("model.safetensors");
        try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }

        assertThatThrownBy(() -> validator.validate(model))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessageStartingWith("model.safetensors: truncated: tensor ")
                .hasMessageContaining("of the data section, which holds only");
    }

    @Test
    void refusesAHeaderLengthLargerThanTheFile() throws IOException {
        Path weights = model.resolve("model.safetensors");
        long size = Files.size(weights);
        byte[] bytes = Files.readAllBytes(weights);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, size);
        Files.write(weights, bytes);

        assertInvalid(model, "model.safetensors: header length " + size + " does not fit a file of " + size + " bytes");
    }

    @Test
    void refusesBytesPastTheLastTensor() throws IOException {
        Path weights = model.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        long dataEnd = bytes.length
                - 8
                - ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Files.write(weights, new byte[16], StandardOpenOption.APPEND);

        assertInvalid(
                model,
                "model.safetensors: the data section holds " + (dataEnd + 16) + " bytes but the tensors end at byte "
                        + dataEnd);
    }

    @Test
    void refusesAMissingTensor() throws IOException {
        Map<String, Tensor> tensors = SafetensorsFiles.read(model.resolve("model.safetensors"));
        tensors.remove("model.layers.1.mlp.up_proj.weight");
        SafetensorsFiles.write(model.resolve("model.safetensors"), tensors);

        assertInvalid(model, "model.safetensors: tensor model.layers.1.mlp.up_proj.weight is missing");
    }

    @Test
    void refusesATensorShapedAgainstTheConfig() throws IOException {
        Map<String, Tensor> tensors = SafetensorsFiles.read(model.resolve("model.safetensors"));
        String name = "model.layers.0.self_attn.k_proj.weight";
        // the transposed shape holds the same number of bytes, so only the shape check can catch it
        tensors.put(name, tensors.get(name).withShape((long) HIDDEN, (long) KV_HEADS * HIDDEN / HEADS));
        SafetensorsFiles.write(model.resolve("model.safetensors"), tensors);

        assertInvalid(
                model, "model.safetensors: tensor " + name + " has shape [16, 8] but config.json requires [8, 16]");
    }

    @Test
    void refusesAModelWithoutATokenizer() throws IOException {
        Files.delete(model.resolve("tokenizer.json"));

        assertInvalid(model, "tokenizer.json: missing");
    }

    @Test
    void refusesATokenizerThatIsNotJson() throws IOException {
        Files.writeString(model.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"");

        assertThatThrownBy(() -> validator.validate(model))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessageStartingWith("tokenizer.json: not valid JSON: ");
    }

    @Test
    void refusesAnIndexNamingAMissingShard() throws IOException {
        shard(model);
        Files.delete(model.resolve("model-00002-of-00002.safetensors"));

        assertThatThrownBy(() -> validator.validate(model))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessageStartingWith(
                        "model.safetensors.index.json: shard model-00002-of-00002.safetensors (for tensor ")
                .hasMessageEndingWith(") does not exist");
    }

    @Test
    void acceptsAPeftAdapterFolder() throws IOException {
        Path adapter =
                writeAdapter("{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"task_type\": \"CAUSAL_LM\","
                        + " \"target_modules\": [\"q_proj\", \"v_proj\"]}");

        ValidatedCheckpoint checkpoint = validator.validate(adapter);

        assertThat(checkpoint.kind()).isEqualTo(ValidatedCheckpoint.Kind.ADAPTER);
        assertThat(checkpoint.tensorCount()).isEqualTo(LAYERS * 2 * 2);
        // per layer: q's A [4, 16] and B [16, 4], v's A [4, 16] and B [8, 4]
        assertThat(checkpoint.parameterCount()).isEqualTo(LAYERS * (64 + 64 + 64 + 32));
        assertThat(checkpoint.dtypes()).containsExactly("BF16");
    }

    @Test
    void refusesAnAdapterConfigWithoutARank() throws IOException {
        Path adapter = writeAdapter(
                "{\"peft_type\": \"LORA\", \"lora_alpha\": 8, \"target_modules\": [\"q_proj\", \"v_proj\"]}");

        assertInvalid(adapter, "adapter_config.json: r is missing");
    }

    @Test
    void refusesAdaptersForNoTargetedModule() throws IOException {
        Path adapter = writeAdapter(
                "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"target_modules\": [\"o_proj\"]}");

        assertInvalid(
                adapter,
                "adapter_model.safetensors: no lora_A and lora_B weights for any module in target_modules [o_proj]");
    }

    private void assertInvalid(Path folder, String message) {
        assertThatThrownBy(() -> validator.validate(folder))
                .isInstanceOf(InvalidCheckpointException.class)
                .hasMessage(message);
    }

    private long expectedParameters() {
        long kvWidth = (long) KV_HEADS * HIDDEN / HEADS;
        long perLayer = 2L * HIDDEN * HIDDEN + 2 * kvWidth * HIDDEN + 3L * INTERMEDIATE * HIDDEN + 2 * HIDDEN;
        return (long) vocabulary.size() * HIDDEN + HIDDEN + LAYERS * perLayer;
    }

    /** Splits model.safetensors into two shards and an index, as transformers does past its shard size. */
    private static void shard(Path folder) throws IOException {
        Map<String, Tensor> tensors = SafetensorsFiles.read(folder.resolve("model.safetensors"));
        Map<String, Tensor> first = new LinkedHashMap<>();
        Map<String, Tensor> second = new LinkedHashMap<>();
        ObjectNode index = SafetensorsFiles.JSON.createObjectNode();
        ObjectNode weightMap = index.putObject("weight_map");
        tensors.forEach((name, tensor) -> {
            boolean early = first.size() < tensors.size() / 2;
            (early ? first : second).put(name, tensor);
            weightMap.put(name, early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        });
        SafetensorsFiles.write(folder.resolve("model-00001-of-00002.safetensors"), first);
        SafetensorsFiles.write(folder.resolve("model-00002-of-00002.safetensors"), second);
        Files.writeString(folder.resolve("model.safetensors.index.json"), index.toString());
        Files.delete(folder.resolve("model.safetensors"));
    }

    /** A PEFT folder with LoRA on q_proj and v_proj of every layer of the tiny model, in bfloat16. */
    private Path writeAdapter(String adapterConfig) throws IOException {
        Path adapter = Files.createDirectories(dir.resolve("adapter"));
        Files.writeString(adapter.resolve("adapter_config.json"), adapterConfig);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (String module : List.of("q_proj", "v_proj")) {
                long out = module.equals("q_proj") ? HIDDEN : (long) KV_HEADS * HIDDEN / HEADS;
                String prefix = "base_model.model.model.layers." + layer + ".self_attn." + module;
                tensors.put(prefix + ".lora_A.weight", Tensor.zeros("BF16", 2, 4, HIDDEN));
                tensors.put(prefix + ".lora_B.weight", Tensor.zeros("BF16", 2, out, 4));
            }
        }
        SafetensorsFiles.write(adapter.resolve("adapter_model.safetensors"), tensors);
        return adapter;
    }
}
