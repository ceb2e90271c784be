package org.tsr.engine.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A byte-level {@code tokenizer.json} as GPT-2, Llama 3 and Qwen use, cut down to its 256 single-byte tokens: token id
 * b is byte b, so a character outside ASCII takes several tokens and each alone decodes to U+FFFD.
 */
public final class ByteLevelTokenizers {

    private ByteLevelTokenizers() {}

    public static Path write(Path dir) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(root));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(root));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        List<Integer> characters = byteCharacters();
        for (int b = 0; b < 256; b++) {
            vocab.put(new String(Character.toChars(characters.get(b))), b);
        }
        model.putArray("merges");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(TextTokenizer.TOKENIZER_FILE), json.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static ObjectNode byteLevel(ObjectNode root) {
        ObjectNode node = root.objectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", true);
        node.put("use_regex", false);
        return node;
    }

    /** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others for code points from 256 on. */
    private static List<Integer> byteCharacters() {
        List<Integer> characters = new ArrayList<>();
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            characters.add(printable ? b : next++);
        }
        return characters;
    }
}
