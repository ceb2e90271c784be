package org.tsr.engine.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A Hugging Face {@code tokenizer.json} loaded through DJL's tokenizers binding, offline. */
public final class TextTokenizer implements AutoCloseable {

    public static final String TOKENIZER_FILE = "tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;

    private TextTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Loads {@code dir/tokenizer.json}; special tokens are added only where a caller asks. */
    public static TextTokenizer load(Path dir) {
        Path file = dir.resolve(TOKENIZER_FILE);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": tokenizer file does not exist");
        }
        try {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(
                    file, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false")));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot load tokenizer", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    public long[] encode(String text) {
        return encode(text, false);
    }

    /** @param addSpecialTokens apply the tokenizer's post-processor (e.g. a leading BOS) */
    public long[] encode(String text, boolean addSpecialTokens) {
        Encoding encoding = tokenizer.encode(text, addSpecialTokens, false);
        return encoding.getIds();
    }

    /** Decodes ids to text, leaving out special tokens. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    /** One token's own text, a special token's name included (decoding alone, it may be half of a character). */
    public String tokenText(long id) {
        return tokenizer.decode(new long[] {id}, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
