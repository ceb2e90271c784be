package org.tsr.engine.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The character-level vocabulary of the built-in tiny models, written as a Hugging Face
 * {@code tokenizer.json} (a BPE model without merges, so every character is one token) plus
 * {@code tokenizer_config.json} with a ChatML chat template.
 */
public final class CharacterVocabulary {

    public static final String PAD = "<pad>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String UNK = "<unk>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    /** ChatML, as Qwen-style tokenizer configs ship it. */
    public static final String CHATML_TEMPLATE = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final List<String> SPECIAL_TOKENS = List.of(PAD, BOS, EOS, UNK, IM_START, IM_END);

    private final List<String> tokens;

    private CharacterVocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /** The special tokens, then tab, newline and printable ASCII. */
    public static CharacterVocabulary ascii() {
        List<String> tokens = new ArrayList<>(SPECIAL_TOKENS);
        tokens.add("\t");
        tokens.add("\n");
        for (char c = ' '; c <= '~'; c++) {
            tokens.add(String.valueOf(c));
        }
        return new CharacterVocabulary(tokens);
    }

    public int size() {
        return tokens.size();
    }

    public int id(String token) {
        int id = tokens.indexOf(token);
        if (id < 0) {
            throw new IllegalArgumentException("not in the vocabulary: '" + token + "'");
        }
        return id;
    }

    /** Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json into {@code dir}. */
    public void writeTo(Path dir, int modelMaxLength) {
        JsonMapper json = JsonMapper.builder().build();
        write(json, dir.resolve(TextTokenizer.TOKENIZER_FILE), tokenizerJson(json));
        ObjectNode config = json.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("bos_token", BOS);
        config.put("eos_token", EOS);
        config.put("pad_token", PAD);
        config.put("unk_token", UNK);
        config.put("model_max_length", modelMaxLength);
        config.put("clean_up_tokenization_spaces", false);
        config.put("chat_template", CHATML_TEMPLATE);
        write(json, dir.resolve(ChatTemplate.TOKENIZER_CONFIG_FILE), config);
        ObjectNode specials = json.createObjectNode();
        specials.put("bos_token", BOS);
        specials.put("eos_token", EOS);
        specials.put("pad_token", PAD);
        specials.put("unk_token", UNK);
        specials.putArray("additional_special_tokens").add(IM_START).add(IM_END);
        write(json, dir.resolve("special_tokens_map.json"), specials);
    }

    private ObjectNode tokenizerJson(JsonMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : SPECIAL_TOKENS) {
            added.addObject()
                    .put("id", id(special))
                    .put("content", special)
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putNull("normalizer");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        // Fuse joins tokens without the space the default decoder would put between them
        root.putObject("decoder").put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", UNK);
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        model.putArray("merges");
        return root;
    }

    private static void write(JsonMapper json, Path file, ObjectNode node) {
        try {
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }
}
