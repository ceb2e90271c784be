package org.tsr.engine.checkpoint;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.model.NamedParameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * LoRA adapters in PEFT's layout: {@code adapter_model.safetensors} (float32 A and B under PEFT's names) and
 * {@code adapter_config.json} (rank, alpha, dropout, target modules).
 */
public final class AdapterWeights {

    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    public static final String CONFIG_FILE = "adapter_config.json";

    private AdapterWeights() {}

    public static void save(LoraAdapters adapters, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot create the adapter directory: " + e.getMessage(), e);
        }
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (NamedParameter parameter : adapters.parameters()) {
            tensors.add(new SafetensorsWriter.Tensor(
                    parameter.name(),
                    parameter.shape().getShape(),
                    parameter.parameter().getArray().toFloatArray()));
        }
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors);
        ObjectNode config = HfConfigFile.json().createObjectNode();
        config.put("peft_type", "LORA");
        config.put("task_type", "CAUSAL_LM");
        config.put("r", adapters.rank());
        config.put("lora_alpha", adapters.alpha());
        config.put("lora_dropout", adapters.dropout());
        config.put("bias", "none");
        ArrayNode targets = config.putArray("target_modules");
        targetNames(adapters).forEach(targets::add);
        HfConfigFile.writeJson(config, dir.resolve(CONFIG_FILE));
    }

    /**
     * Sets the adapters' A and B in place from {@code dir}.
     *
     * @throws CheckpointException if the saved adapters have another rank, alpha, dropout or targets, or lack a tensor
     */
    public static void load(LoraAdapters adapters, Path dir) {
        Path configFile = dir.resolve(CONFIG_FILE);
        JsonNode config = HfConfigFile.readJson(configFile);
        List<String> savedTargets = new ArrayList<>();
        config.path("target_modules").forEach(node -> savedTargets.add(node.asString()));
        String saved = describe(
                config.path("r").asInt(),
                config.path("lora_alpha").asDouble(),
                config.path("lora_dropout").asDouble(),
                new TreeSet<>(savedTargets).toString());
        String wanted = describe(
                adapters.rank(),
                adapters.alpha(),
                adapters.dropout(),
                targetNames(adapters).toString());
        if (!saved.equals(wanted)) {
            throw new CheckpointException(configFile, "the saved adapters are " + saved + ", not " + wanted);
        }
        Path file = dir.resolve(WEIGHTS_FILE);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (NamedParameter parameter : adapters.parameters()) {
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

    private static TreeSet<String> targetNames(LoraAdapters adapters) {
        TreeSet<String> names = new TreeSet<>();
        for (LinearModule module : adapters.targetModules()) {
            names.add(module.hfName());
        }
        return names;
    }

    private static String describe(int rank, double alpha, double dropout, String targets) {
        return "rank " + rank + ", alpha " + alpha + ", dropout " + dropout + " on " + targets;
    }
}
