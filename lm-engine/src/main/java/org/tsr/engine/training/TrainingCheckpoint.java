package org.tsr.engine.training;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.checkpoint.AdapterWeights;
import org.tsr.engine.checkpoint.CheckpointException;
import org.tsr.engine.checkpoint.HfWeights;
import org.tsr.engine.checkpoint.SafetensorsReader;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.model.NamedParameter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A resumable snapshot of a run in one folder: the model as a Hugging Face folder ({@code model/}), or for a LoRA run
 * only its adapters in PEFT's layout ({@code adapter/}; the frozen base is the run's starting model), AdamW's
 * moments ({@code optimizer.safetensors}) and the trainer's state ({@code trainer_state.json}). A checkpoint
 * is written beside the folder and swapped in whole, so an interrupted write leaves the previous one.
 */
public record TrainingCheckpoint(Path dir, TrainerState state) {

    private static final String STATE_FILE = "trainer_state.json";
    private static final String OPTIMIZER_FILE = "optimizer.safetensors";
    private static final String MODEL_DIR = "model";
    private static final String ADAPTER_DIR = "adapter";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static void write(Path dir, LanguageModel model, AdamW optimizer, TrainerState state) {
        Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
        Path previous = dir.resolveSibling(dir.getFileName() + ".previous");
        try {
            deleteRecursively(partial);
            Files.createDirectories(partial);
            Optional<LoraAdapters> lora = model.network().lora();
            if (lora.isPresent()) {
                AdapterWeights.save(lora.get(), partial.resolve(ADAPTER_DIR));
            } else {
                // one weights file whatever the size, so a restore reads it without the shard index; float32 whatever
                // the base's dtype, so the resumed run continues from exactly these weights
                model.saveInFloat32(partial.resolve(MODEL_DIR), Long.MAX_VALUE);
            }
            optimizer.save(partial.resolve(OPTIMIZER_FILE));
            JSON.writeValue(partial.resolve(STATE_FILE).toFile(), state);
            deleteRecursively(previous);
            if (Files.exists(dir)) {
                Files.move(dir, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(previous);
        } catch (IOException | JacksonException e) {
            throw new CheckpointException(dir, "cannot write the training checkpoint: " + e.getMessage(), e);
        }
    }

    /** The checkpoint in {@code dir}, or the one a crash mid-swap left beside it; empty if there is none. */
    public static Optional<TrainingCheckpoint> find(Path dir) {
        Path previous = dir.resolveSibling(dir.getFileName() + ".previous");
        for (Path candidate : List.of(dir, previous)) {
            Path stateFile = candidate.resolve(STATE_FILE);
            if (Files.exists(stateFile)) {
                try {
                    return Optional.of(
                            new TrainingCheckpoint(candidate, JSON.readValue(stateFile.toFile(), TrainerState.class)));
                } catch (JacksonException e) {
                    throw new CheckpointException(stateFile, "unreadable trainer state: " + e.getMessage(), e);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Overwrites the trained weights in place with the checkpoint's: the adapters of a model that has LoRA adapters,
     * else every weight.
     *
     * @throws CheckpointException if the checkpoint is of the other kind of run, or its adapters differ in shape
     */
    void restoreWeights(LanguageModel model) {
        Optional<LoraAdapters> lora = model.network().lora();
        boolean adapterRun = Files.isDirectory(dir.resolve(ADAPTER_DIR));
        if (lora.isPresent() != adapterRun) {
            throw new CheckpointException(
                    dir,
                    "the training checkpoint is of a " + (adapterRun ? "LoRA" : "full-parameter")
                            + " run; this run trains " + (lora.isPresent() ? "LoRA adapters" : "every parameter"));
        }
        if (lora.isPresent()) {
            AdapterWeights.load(lora.get(), dir.resolve(ADAPTER_DIR));
            return;
        }
        Path file = dir.resolve(MODEL_DIR).resolve(HfWeights.SINGLE_FILE);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (NamedParameter parameter : model.network().namedParameters()) {
                float[] values = reader.contains(parameter.name()) ? reader.readFloats(parameter.name()) : null;
                if (values == null || values.length != parameter.shape().size()) {
                    throw new CheckpointException(file, parameter.name(), "missing or of another size");
                }
                parameter.parameter().getArray().set(values);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    void restoreOptimizer(AdamW optimizer) {
        optimizer.load(dir.resolve(OPTIMIZER_FILE), state.optimizerSteps());
    }

    /** Removes a run's checkpoint once its result is safely stored elsewhere. */
    public static void delete(Path dir) {
        try {
            deleteRecursively(dir);
            deleteRecursively(dir.resolveSibling(dir.getFileName() + ".previous"));
            deleteRecursively(dir.resolveSibling(dir.getFileName() + ".partial"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the training checkpoint " + dir, e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
