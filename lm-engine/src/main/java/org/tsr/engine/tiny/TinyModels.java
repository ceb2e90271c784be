package org.tsr.engine.tiny;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tsr.engine.checkpoint.CheckpointException;
import org.tsr.engine.checkpoint.GenerationConfigFile;
import org.tsr.engine.checkpoint.HfConfigFile;
import org.tsr.engine.checkpoint.HfWeights;
import org.tsr.engine.checkpoint.SafetensorsWriter;
import org.tsr.engine.model.Architecture;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.model.RopeScaling;
import org.tsr.engine.tokenizer.CharacterVocabulary;

/**
 * The built-in models: a character-level Llama of about 1M parameters that learns the built-in tasks in
 * minutes on two CPU cores, and a ~25M-parameter variant for benchmarks. Both are created with seeded
 * random weights and saved as ordinary Hugging Face model directories.
 */
public final class TinyModels {

    /** transformers' default initializer_range */
    private static final double INIT_STD = 0.02;

    private TinyModels() {}

    /** About 1M parameters: hidden 128, 4 layers, 4 heads over 2 KV heads, context 256. */
    public static ModelConfig tiny(CharacterVocabulary vocabulary) {
        return config(vocabulary, 128, 512, 4, 4, 2, 256);
    }

    /** About 25M parameters: hidden 512, 8 layers, 8 heads over 4 KV heads, context 512. */
    public static ModelConfig bench25m(CharacterVocabulary vocabulary) {
        return config(vocabulary, 512, 1536, 8, 8, 4, 512);
    }

    public static ModelConfig config(
            CharacterVocabulary vocabulary,
            int hidden,
            int intermediate,
            int layers,
            int heads,
            int kvHeads,
            int context) {
        return new ModelConfig(
                Architecture.LLAMA,
                vocabulary.size(),
                hidden,
                intermediate,
                layers,
                heads,
                kvHeads,
                hidden / heads,
                context,
                1e-5,
                10000.0,
                RopeScaling.NONE,
                true,
                false,
                false,
                vocabulary.id(CharacterVocabulary.BOS),
                vocabulary.id(CharacterVocabulary.EOS),
                0);
    }

    /** Writes a complete model directory with weights drawn from N(0, 0.02) by {@code seed}, norms at 1. */
    public static Path create(Path dir, ModelConfig config, CharacterVocabulary vocabulary, long seed) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot create model directory: " + e.getMessage(), e);
        }
        HfConfigFile.write(config, dir.resolve(HfConfigFile.FILE_NAME));
        int eos = vocabulary.id(CharacterVocabulary.EOS);
        new GenerationConfigFile(
                        vocabulary.id(CharacterVocabulary.BOS),
                        List.of(eos, vocabulary.id(CharacterVocabulary.IM_END)),
                        vocabulary.id(CharacterVocabulary.PAD))
                .write(dir);
        vocabulary.writeTo(dir, config.maxPositionEmbeddings());
        HfWeights.write(randomWeights(config, seed), dir, HfWeights.DEFAULT_MAX_SHARD_BYTES);
        return dir;
    }

    static List<SafetensorsWriter.Tensor> randomWeights(ModelConfig config, long seed) {
        Random random = new Random(seed);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (NamedParameter slot : new CausalLm(config).namedParameters()) {
            long[] shape = slot.shape().getShape();
            float[] data = new float[Math.toIntExact(slot.shape().size())];
            if (slot.name().endsWith("norm.weight")) {
                java.util.Arrays.fill(data, 1f);
            } else if (!slot.name().endsWith(".bias")) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (random.nextGaussian() * INIT_STD);
                }
            }
            tensors.add(new SafetensorsWriter.Tensor(slot.name(), shape, data));
        }
        return tensors;
    }
}
