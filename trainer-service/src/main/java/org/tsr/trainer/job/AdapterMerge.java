package org.tsr.trainer.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.checkpoint.AdapterWeights;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.training.LoraOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a PEFT LoRA adapter folder (what TRL saves when a run trains LoRA) into a full model: the base loaded, the
 * adapters attached as {@code adapter_config.json} describes and set from {@code adapter_model.safetensors}, and the
 * model saved with them merged, as the embedded trainer publishes a LoRA job. Every service loads the result as any
 * checkpoint; the adapter folder itself is kept beside it for servers that load adapters (vLLM's LoRA modules).
 */
public final class AdapterMerge {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AdapterMerge() {}

    /** @throws InvalidTrainingJobException if the adapter config asks for modules or a layout the engine lacks */
    public static void merge(Path base, Path adapter, Path target, EngineOptions options) {
        JsonNode config =
                JSON.readTree(adapter.resolve(AdapterWeights.CONFIG_FILE).toFile());
        try (LanguageModel model = LanguageModel.load(base, options)) {
            LoraAdapters adapters = LoraOptions.of(
                            config.path("r").asInt(),
                            config.path("lora_alpha").asDouble(),
                            config.path("lora_dropout").asDouble(0),
                            targetModules(config.path("target_modules")))
                    .attachTo(model, 0);
            AdapterWeights.load(adapters, adapter);
            model.save(target);
        }
    }

    /** PEFT's target_modules: a list of module names, or "all-linear"; a regular expression is not read. */
    private static List<String> targetModules(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isString() && node.asString().equals("all-linear")) {
            return Arrays.stream(LinearModule.values())
                    .map(LinearModule::hfName)
                    .toList();
        }
        if (!node.isArray()) {
            throw InvalidTrainingJobException.invalid(
                    "hyperparameters.lora.targetModules",
                    "the trained adapter names its target modules as " + node
                            + "; only a list of module names or all-linear can be merged");
        }
        node.forEach(name -> names.add(name.asString()));
        return names;
    }
}
