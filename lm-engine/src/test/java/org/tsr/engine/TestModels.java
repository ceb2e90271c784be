package org.tsr.engine;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tsr.engine.checkpoint.GenerationConfigFile;
import org.tsr.engine.checkpoint.HfConfigFile;
import org.tsr.engine.checkpoint.HfWeights;
import org.tsr.engine.checkpoint.SafetensorsWriter;
import org.tsr.engine.checkpoint.TensorDtype;
import org.tsr.engine.model.Architecture;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.model.RopeScaling;
import org.tsr.engine.tokenizer.CharacterVocabulary;

/** Small model directories for tests, with every parameter (norms and biases too) random. */
public final class TestModels {

    public static final CharacterVocabulary VOCABULARY = CharacterVocabulary.ascii();

    private TestModels() {}

    /** A Llama with 2 layers, hidden 32, 4 query heads over 2 KV heads, tied head. */
    public static ModelConfig llama() {
        return config(Architecture.LLAMA, true, false, false);
    }

    /** A Qwen2-style model: q/k/v biases and an untied head. */
    public static ModelConfig qwen2() {
        return config(Architecture.QWEN2, false, true, false);
    }

    public static ModelConfig config(Architecture architecture, boolean tied, boolean qkvBias, boolean outputBias) {
        return new ModelConfig(
                architecture,
                VOCABULARY.size(),
                32,
                64,
                2,
                4,
                2,
                8,
                128,
                1e-5,
                10000.0,
                RopeScaling.NONE,
                tied,
                qkvBias,
                outputBias,
                VOCABULARY.id(CharacterVocabulary.BOS),
                VOCABULARY.id(CharacterVocabulary.EOS),
                0);
    }

    public static Path write(Path dir, ModelConfig config, long seed) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        HfConfigFile.write(config, dir.resolve(HfConfigFile.FILE_NAME));
        new GenerationConfigFile(
                        config.bosTokenId(), List.of(config.eosTokenId()), VOCABULARY.id(CharacterVocabulary.PAD))
                .write(dir);
        VOCABULARY.writeTo(dir, config.maxPositionEmbeddings());
        HfWeights.write(randomTensors(config, seed), dir, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        return dir;
    }

    /** Like {@link #write(Path, ModelConfig, long)}, with the weights stored in {@code dtype} (rounded by PyTorch). */
    public static Path write(Path dir, ModelConfig config, long seed, TensorDtype dtype) {
        write(dir, config, seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<SafetensorsWriter.NativeTensor> tensors = new ArrayList<>();
            for (SafetensorsWriter.Tensor tensor : randomTensors(config, seed)) {
                tensors.add(new SafetensorsWriter.NativeTensor(
                        tensor.name(),
                        tensor.shape(),
                        dtype,
                        () -> manager.create(tensor.data(), new Shape(tensor.shape()))));
            }
            HfWeights.write(tensors, dir, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        }
        return dir;
    }

    public static List<SafetensorsWriter.Tensor> randomTensors(ModelConfig config, long seed) {
        Random random = new Random(seed);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (NamedParameter slot : new CausalLm(config).namedParameters()) {
            float[] data = new float[Math.toIntExact(slot.shape().size())];
            boolean norm = slot.name().endsWith("norm.weight");
            for (int i = 0; i < data.length; i++) {
                data[i] = norm ? 1f + (float) (random.nextGaussian() * 0.1) : (float) (random.nextGaussian() * 0.2);
            }
            tensors.add(new SafetensorsWriter.Tensor(slot.name(), slot.shape().getShape(), data));
        }
        return tensors;
    }

    public static EngineOptions options() {
        return EngineOptions.cpu(1);
    }
}
