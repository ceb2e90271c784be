package org.tsr.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tsr.engine.checkpoint.CheckpointException;
import org.tsr.engine.checkpoint.CheckpointSeal;
import org.tsr.engine.checkpoint.GenerationConfigFile;
import org.tsr.engine.checkpoint.HfConfigFile;
import org.tsr.engine.checkpoint.HfWeights;
import org.tsr.engine.checkpoint.TensorDtype;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.precision.Bfloat16;
import org.tsr.engine.tokenizer.ChatTemplate;
import org.tsr.engine.tokenizer.TextTokenizer;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model loaded from a Hugging Face model directory: the network, its tokenizer, chat template and
 * end-of-sequence ids. Owns the native memory of its weights until closed.
 */
public final class LanguageModel implements AutoCloseable {

    /**
     * Files copied along unchanged when a model is saved, so the chat template stays where it came from and a
     * source generation config keeps its sampling defaults.
     */
    private static final List<String> COPIED_FILES = List.of(
            TextTokenizer.TOKENIZER_FILE,
            ChatTemplate.TOKENIZER_CONFIG_FILE,
            ChatTemplate.TEMPLATE_FILE,
            "special_tokens_map.json",
            "tokenizer.model",
            GenerationConfigFile.FILE_NAME);

    private final Path sourceDir;
    private final NDManager manager;
    private final CausalLm network;
    private final TextTokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final GenerationConfigFile generationConfig;
    private final ObjectNode sourceConfig;
    private final Map<String, TensorDtype> sourceDtypes;

    private LanguageModel(
            Path sourceDir,
            NDManager manager,
            CausalLm network,
            TextTokenizer tokenizer,
            ChatTemplate chatTemplate,
            GenerationConfigFile generationConfig,
            ObjectNode sourceConfig,
            Map<String, TensorDtype> sourceDtypes) {
        this.sourceDir = sourceDir;
        this.sourceConfig = sourceConfig;
        this.sourceDtypes = Map.copyOf(sourceDtypes);
        this.manager = manager;
        this.network = network;
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
        this.generationConfig = generationConfig;
    }

    public static LanguageModel load(Path dir, EngineOptions options) {
        // a checkpoint this platform published carries checksums; a torn or altered file fails here, by name
        CheckpointSeal.verify(dir);
        Path configFile = dir.resolve(HfConfigFile.FILE_NAME);
        ModelConfig config = HfConfigFile.read(configFile);
        ObjectNode sourceConfig = HfConfigFile.readSource(configFile);
        if (options.intraOpThreads() > 0) {
            Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(options.intraOpThreads());
        }
        NDManager manager = NDManager.newBaseManager(options.djlDevice(), "PyTorch");
        try {
            CausalLm network = new CausalLm(config);
            Map<String, TensorDtype> dtypes = HfWeights.load(dir, network, manager);
            if (options.precision() == EngineOptions.Precision.BFLOAT16) {
                network.computeInBfloat16(Bfloat16.load(manager));
            }
            TextTokenizer tokenizer = TextTokenizer.load(dir);
            GenerationConfigFile generation =
                    GenerationConfigFile.readOrDefault(dir, config.bosTokenId(), config.eosTokenId());
            return new LanguageModel(
                    dir,
                    manager,
                    network,
                    tokenizer,
                    ChatTemplate.load(dir).orElse(null),
                    generation,
                    sourceConfig,
                    dtypes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Writes config (every key of the source's, see {@link HfConfigFile#write(ModelConfig, ObjectNode, TensorDtype,
     * Path)}), generation config, the weights in the dtypes they were loaded in, the tokenizer files and the chat
     * template into {@code dir}, sharding the weights at 5 GB as transformers does.
     */
    public void save(Path dir) {
        save(dir, HfWeights.DEFAULT_MAX_SHARD_BYTES);
    }

    public void save(Path dir, long maxShardBytes) {
        save(dir, maxShardBytes, sourceDtypes);
    }

    /**
     * Like {@link #save(Path, long)}, with every weight in float32, the precision the engine trains in: a training
     * checkpoint of a bfloat16 model must resume from the very weights it stopped at, not from them rounded.
     */
    public void saveInFloat32(Path dir, long maxShardBytes) {
        save(dir, maxShardBytes, Map.of());
    }

    private void save(Path dir, long maxShardBytes, Map<String, TensorDtype> dtypes) {
        try {
            Files.createDirectories(dir);
            for (String name : COPIED_FILES) {
                Path source = sourceDir.resolve(name);
                if (Files.exists(source) && !Files.isSameFile(sourceDir, dir)) {
                    Files.copy(source, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot write model directory: " + e.getMessage(), e);
        }
        HfConfigFile.write(
                network.config(),
                sourceConfig,
                dtypes.isEmpty() ? TensorDtype.F32 : TensorDtype.mostCommon(dtypes.values()),
                dir.resolve(HfConfigFile.FILE_NAME));
        if (!Files.exists(sourceDir.resolve(GenerationConfigFile.FILE_NAME))) {
            // the source had none: write what decoding here uses, so vLLM and transformers stop at the same ids
            generationConfig.write(dir);
        }
        HfWeights.save(network, dir, maxShardBytes, dtypes);
    }

    /**
     * Bytes the loaded weights take in native memory: every parameter in float32, plus the bfloat16 copies of a model
     * loaded for bfloat16 compute (attached LoRA adapters included).
     */
    public long weightBytes() {
        long bytes = network.bfloat16Bytes();
        for (NamedParameter parameter : network.namedParameters()) {
            bytes += 4 * parameter.parameter().getArray().size();
        }
        for (NamedParameter parameter :
                network.lora().map(LoraAdapters::parameters).orElse(List.of())) {
            bytes += 4 * parameter.parameter().getArray().size();
        }
        return bytes;
    }

    public CausalLm network() {
        return network;
    }

    public ModelConfig config() {
        return network.config();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    public GenerationConfigFile generationConfig() {
        return generationConfig;
    }

    /** The manager that owns the weights; per-call work should use a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}
