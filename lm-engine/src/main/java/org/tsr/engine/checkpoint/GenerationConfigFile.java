package org.tsr.engine.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The token ids from {@code generation_config.json} that decoding needs.
 *
 * @param eosTokenIds every id that ends a sequence (chat models often list the end-of-turn token too)
 */
public record GenerationConfigFile(int bosTokenId, List<Integer> eosTokenIds, int padTokenId) {

    public static final String FILE_NAME = "generation_config.json";

    /** Reads the file if present, else falls back to the ids in config.json. */
    public static GenerationConfigFile readOrDefault(Path dir, int bosTokenId, int eosTokenId) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return new GenerationConfigFile(bosTokenId, List.of(eosTokenId), eosTokenId);
        }
        JsonNode root = HfConfigFile.readJson(file);
        List<Integer> eos = new ArrayList<>();
        JsonNode eosNode = root.path("eos_token_id");
        if (eosNode.isArray()) {
            eosNode.forEach(id -> eos.add(id.asInt()));
        } else if (eosNode.isIntegralNumber()) {
            eos.add(eosNode.asInt());
        } else if (!eosNode.isMissingNode() && !eosNode.isNull()) {
            throw new CheckpointException(file, "eos_token_id must be an id or a list of ids, got " + eosNode);
        } else {
            eos.add(eosTokenId);
        }
        int bos = root.path("bos_token_id").asInt(bosTokenId);
        // an empty eos list is allowed: sampling then always runs to max new tokens (benchmarks use it)
        int pad = root.hasNonNull("pad_token_id")
                ? root.get("pad_token_id").asInt()
                : eos.isEmpty() ? eosTokenId : eos.get(0);
        return new GenerationConfigFile(bos, List.copyOf(eos), pad);
    }

    public void write(Path dir) {
        ObjectNode root = HfConfigFile.json().createObjectNode();
        root.put("bos_token_id", bosTokenId);
        if (eosTokenIds.size() == 1) {
            root.put("eos_token_id", eosTokenIds.get(0));
        } else {
            ArrayNode ids = root.putArray("eos_token_id");
            eosTokenIds.forEach(ids::add);
        }
        root.put("pad_token_id", padTokenId);
        root.put("do_sample", true);
        HfConfigFile.writeJson(root, dir.resolve(FILE_NAME));
    }
}
