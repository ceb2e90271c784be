package org.tsr.trainer.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * A PEFT {@code adapter_config.json} for LoRA, as TRL writes it.
 *
 * @param rank r, the rank of every adapter unless {@code rankPattern} gives some modules another
 * @param targetModules module names, matched as PEFT does: a name or a dotted suffix of the module's path
 * @param targetPattern the regular expression PEFT full-matches against module paths when target_modules is a
 *     string; null when it is a list
 * @param rankPattern whether rank_pattern gives some modules their own rank
 */
record AdapterConfig(long rank, List<String> targetModules, Pattern targetPattern, boolean rankPattern) {

    static final String FILE_NAME = "adapter_config.json";

    /** PEFT's shorthand for every linear layer but the output head. */
    private static final String ALL_LINEAR = "all-linear";

    static AdapterConfig read(Path folder) {
        JsonNode root = CheckpointJson.readObject(folder, FILE_NAME);
        JsonNode peftType = root.get("peft_type");
        if (peftType == null || peftType.isNull()) {
            throw new InvalidCheckpointException(FILE_NAME, "peft_type is missing");
        }
        if (!peftType.asString("").equals("LORA")) {
            throw new InvalidCheckpointException(FILE_NAME, "peft_type is " + peftType + ", not \"LORA\"");
        }
        long rank = CheckpointJson.positiveLong(FILE_NAME, root, "r");
        JsonNode alpha = root.get("lora_alpha");
        if (alpha == null || alpha.isNull()) {
            throw new InvalidCheckpointException(FILE_NAME, "lora_alpha is missing");
        }
        if (!alpha.isNumber()) {
            throw new InvalidCheckpointException(FILE_NAME, "lora_alpha must be a number, not " + alpha);
        }
        boolean rankPattern = root.path("rank_pattern").isObject()
                && !root.path("rank_pattern").isEmpty();
        JsonNode targets = root.get("target_modules");
        if (targets != null && targets.isString() && !targets.asString().isBlank()) {
            return new AdapterConfig(rank, List.of(), pattern(targets.asString()), rankPattern);
        }
        if (targets == null || !targets.isArray() || targets.isEmpty()) {
            throw new InvalidCheckpointException(
                    FILE_NAME, "target_modules must be a non-empty list or a string, not " + targets);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode target : targets) {
            if (!target.isString() || target.asString().isBlank()) {
                throw new InvalidCheckpointException(FILE_NAME, "target_modules holds " + target + ", not a name");
            }
            names.add(target.asString());
        }
        return new AdapterConfig(rank, List.copyOf(names), null, rankPattern);
    }

    /** Whether PEFT would have put an adapter on the module at {@code modulePath}, such as model.layers.0.mlp.up_proj. */
    boolean targets(String modulePath) {
        if (targetPattern != null) {
            return targetPattern.pattern().equals(ALL_LINEAR)
                    || targetPattern.matcher(modulePath).matches();
        }
        return targetModules.stream().anyMatch(name -> modulePath.equals(name) || modulePath.endsWith("." + name));
    }

    /** How target_modules reads in a message. */
    String describeTargets() {
        return targetPattern != null ? "'" + targetPattern.pattern() + "'" : targetModules.toString();
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidCheckpointException(
                    FILE_NAME, "target_modules '" + regex + "' is not a regular expression: " + e.getDescription(), e);
        }
    }
}
