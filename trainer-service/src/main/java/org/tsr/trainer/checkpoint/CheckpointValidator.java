package org.tsr.trainer.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks a checkpoint folder that training outside this JVM handed back, before its generation becomes READY: a
 * full Hugging Face model of the Llama family, or PEFT LoRA adapters. A missing file, a truncated or inconsistent
 * safetensors file, a missing tensor or one shaped against the config fails with the file and the problem named.
 * Only JSON files and safetensors headers are read, so a checkpoint of tens of gigabytes never reaches the heap.
 */
@Component
public class CheckpointValidator {

    static final String TOKENIZER_FILE = "tokenizer.json";
    static final String ADAPTER_WEIGHTS_FILE = "adapter_model.safetensors";

    private static final String PEFT_PREFIX = "base_model.model.";
    private static final String LORA_A = ".lora_A.weight";
    private static final String LORA_B = ".lora_B.weight";

    /**
     * @throws InvalidCheckpointException naming the first file found unusable and why
     */
    public ValidatedCheckpoint validate(Path folder) {
        // adapter_config.json decides, since only an adapter folder has one; it may also hold a config.json
        if (Files.isRegularFile(folder.resolve(AdapterConfig.FILE_NAME))) {
            return validateAdapter(folder);
        }
        if (Files.isRegularFile(folder.resolve(DecoderConfig.FILE_NAME))) {
            return validateFullModel(folder);
        }
        throw InvalidCheckpointException.notACheckpoint(folder);
    }

    private ValidatedCheckpoint validateFullModel(Path folder) {
        DecoderConfig config = DecoderConfig.read(folder);
        ModelWeights weights = ModelWeights.read(folder);
        config.requiredTensors().forEach((name, shape) -> {
            TensorHeader tensor = weights.tensor(name);
            if (tensor == null) {
                throw new InvalidCheckpointException(weights.where(), "tensor " + name + " is missing");
            }
            requireShape(tensor, shape);
        });
        config.optionalTensors().forEach((name, shape) -> {
            TensorHeader tensor = weights.tensor(name);
            if (tensor != null) {
                requireShape(tensor, shape);
            }
        });
        requireTokenizer(folder);
        return summary(ValidatedCheckpoint.Kind.FULL, folder, weights.files());
    }

    private ValidatedCheckpoint validateAdapter(Path folder) {
        AdapterConfig config = AdapterConfig.read(folder);
        SafetensorsHeader weights = SafetensorsHeader.read(folder, ADAPTER_WEIGHTS_FILE);
        if (targetedPairs(config, weights.tensors()) == 0) {
            throw new InvalidCheckpointException(
                    ADAPTER_WEIGHTS_FILE,
                    "no lora_A and lora_B weights for any module in target_modules " + config.describeTargets());
        }
        if (Files.exists(folder.resolve(TOKENIZER_FILE))) {
            requireTokenizer(folder);
        }
        return summary(ValidatedCheckpoint.Kind.ADAPTER, folder, List.of(weights));
    }

    /**
     * Counts the modules with both LoRA matrices that target_modules names; a matrix without its partner is an
     * error, since PEFT always saves the two together.
     */
    private static int targetedPairs(AdapterConfig config, Map<String, TensorHeader> tensors) {
        int targeted = 0;
        for (String name : tensors.keySet()) {
            boolean isA = name.endsWith(LORA_A);
            if (!isA && !name.endsWith(LORA_B)) {
                continue;
            }
            String module = name.substring(0, name.length() - LORA_A.length());
            String partner = module + (isA ? LORA_B : LORA_A);
            if (!tensors.containsKey(partner)) {
                throw new InvalidCheckpointException(
                        ADAPTER_WEIGHTS_FILE, "tensor " + partner + " is missing, though " + name + " is there");
            }
            if (isA) {
                requireRank(config, tensors.get(name), tensors.get(partner));
                String modulePath = module.startsWith(PEFT_PREFIX) ? module.substring(PEFT_PREFIX.length()) : module;
                if (config.targets(modulePath)) {
                    targeted++;
                }
            }
        }
        return targeted;
    }

    private static void requireShape(TensorHeader tensor, List<Long> shape) {
        if (!tensor.shape().equals(shape)) {
            throw new InvalidCheckpointException(
                    tensor.file(),
                    "tensor " + tensor.name() + " has shape " + tensor.shape() + " but " + DecoderConfig.FILE_NAME
                            + " requires " + shape);
        }
    }

    /** A is [r, in] and B [out, r]; r is the config's unless rank_pattern gives the module its own. */
    private static void requireRank(AdapterConfig config, TensorHeader a, TensorHeader b) {
        if (a.shape().size() != 2 || b.shape().size() != 2) {
            throw new InvalidCheckpointException(
                    ADAPTER_WEIGHTS_FILE,
                    "tensors " + a.name() + " " + a.shape() + " and " + b.name() + " " + b.shape()
                            + " must be matrices");
        }
        long rank = a.shape().get(0);
        if (b.shape().get(1) != rank) {
            throw new InvalidCheckpointException(
                    ADAPTER_WEIGHTS_FILE,
                    "tensor " + b.name() + " has shape " + b.shape() + ", which does not fit rank " + rank + " of "
                            + a.name());
        }
        if (!config.rankPattern() && rank != config.rank()) {
            throw new InvalidCheckpointException(
                    ADAPTER_WEIGHTS_FILE,
                    "tensor " + a.name() + " has rank " + rank + " but " + AdapterConfig.FILE_NAME + " has r "
                            + config.rank());
        }
    }

    private static void requireTokenizer(Path folder) {
        JsonNode tokenizer = CheckpointJson.readObject(folder, TOKENIZER_FILE);
        if (!tokenizer.has("model")) {
            throw new InvalidCheckpointException(TOKENIZER_FILE, "the \"model\" field is missing");
        }
    }

    private static ValidatedCheckpoint summary(
            ValidatedCheckpoint.Kind kind, Path folder, Collection<SafetensorsHeader> files) {
        int tensorCount = 0;
        long parameterCount = 0;
        TreeSet<String> dtypes = new TreeSet<>();
        for (SafetensorsHeader file : files) {
            for (TensorHeader tensor : file.tensors().values()) {
                tensorCount++;
                parameterCount += tensor.elementCount();
                dtypes.add(tensor.dtype().name());
            }
        }
        return new ValidatedCheckpoint(kind, tensorCount, parameterCount, dtypes, folder);
    }
}
