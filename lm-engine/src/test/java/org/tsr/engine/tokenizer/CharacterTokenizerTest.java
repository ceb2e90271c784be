package org.tsr.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharacterTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void everyCharacterIsOneTokenAndDecodingRestoresTheText() {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        vocabulary.writeTo(dir, 256);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            String text = "Sort: b a c\n  -> abc! {x}~";
            long[] ids = tokenizer.encode(text);
            assertThat(ids).hasSize(text.length());
            assertThat(ids[0]).isEqualTo(vocabulary.id("S"));
            assertThat(ids[4]).isEqualTo(vocabulary.id(":"));
            assertThat(ids[5]).isEqualTo(vocabulary.id(" "));
            assertThat(tokenizer.decode(ids)).isEqualTo(text);
        }
    }

    @Test
    void specialTokensAreSingleTokensAndLeftOutWhenDecoding() {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        vocabulary.writeTo(dir, 256);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            long[] ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|></s>");
            assertThat(ids)
                    .containsExactly(
                            vocabulary.id(CharacterVocabulary.IM_START),
                            vocabulary.id("u"),
                            vocabulary.id("s"),
                            vocabulary.id("e"),
                            vocabulary.id("r"),
                            vocabulary.id("\n"),
                            vocabulary.id("h"),
                            vocabulary.id("i"),
                            vocabulary.id(CharacterVocabulary.IM_END),
                            vocabulary.id(CharacterVocabulary.EOS));
            assertThat(tokenizer.decode(ids)).isEqualTo("user\nhi");
        }
    }

    @Test
    void unknownCharactersBecomeTheUnknownToken() {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        vocabulary.writeTo(dir, 256);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            assertThat(tokenizer.encode("a\u00e9b"))
                    .containsExactly(vocabulary.id("a"), vocabulary.id(CharacterVocabulary.UNK), vocabulary.id("b"));
        }
    }
}
