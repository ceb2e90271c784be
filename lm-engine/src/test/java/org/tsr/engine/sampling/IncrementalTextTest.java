package org.tsr.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.tokenizer.ByteLevelTokenizers;
import org.tsr.engine.tokenizer.TextTokenizer;

class IncrementalTextTest {

    @TempDir
    static Path dir;

    static TextTokenizer bytes;

    @BeforeAll
    static void load() {
        bytes = TextTokenizer.load(ByteLevelTokenizers.write(dir.resolve("bytes")));
    }

    @AfterAll
    static void close() {
        bytes.close();
    }

    @Test
    void piecesNeverSplitACharacterAndJoinToTheDecodedText() {
        String text = "héllo wörld 😀 ok";
        long[] ids = bytes.encode(text);
        assertThat(ids).hasSize(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(bytes.decode(new long[] {ids[1]})).isEqualTo("\uFFFD");

        IncrementalText incremental = new IncrementalText(bytes, List.of());
        List<String> pieces = new ArrayList<>();
        for (int count = 1; count <= ids.length; count++) {
            pieces.add(incremental.add(ids, count));
        }
        pieces.add(incremental.finish(ids, ids.length));

        assertThat(pieces).noneMatch(piece -> piece.contains("\uFFFD"));
        assertThat(pieces.get(1)).as("first byte of é").isEmpty();
        assertThat(pieces.get(2)).as("second byte of é").isEqualTo("é");
        assertThat(String.join("", pieces)).isEqualTo(text).isEqualTo(incremental.text());
    }

    @Test
    void holdsBackWhatMayBeginAStopStringAndCutsTheTextBeforeIt() {
        long[] ids = bytes.encode("say wow, then world");
        IncrementalText incremental = new IncrementalText(bytes, List.of("world"));
        StringBuilder released = new StringBuilder();
        List<String> releasedAfter = new ArrayList<>();
        while (!incremental.stopped()) {
            released.append(incremental.add(ids, releasedAfter.size() + 1));
            releasedAfter.add(released.toString());
        }

        assertThat(releasedAfter).hasSize(ids.length);
        assertThat(releasedAfter.get("say wo".length() - 1)).isEqualTo("say ");
        assertThat(releasedAfter.get("say wow,".length() - 1)).isEqualTo("say wow,");
        assertThat(releasedAfter.get("say wow, then wor".length() - 1)).isEqualTo("say wow, then ");
        assertThat(incremental.text()).isEqualTo("say wow, then ");
        assertThat(released).hasToString("say wow, then ");
    }

    @Test
    void aStopStringSpreadOverTokensIsFoundWhereItBegins() {
        long[] ids = bytes.encode("abcaab!");
        IncrementalText incremental = new IncrementalText(bytes, List.of("aab", "!"));
        StringBuilder released = new StringBuilder();
        for (int count = 1; !incremental.stopped(); count++) {
            released.append(incremental.add(ids, count));
        }
        assertThat(incremental.text()).isEqualTo("abc");
        assertThat(released).hasToString("abc");
    }

    @Test
    void theEndReleasesHeldTextAndATrailingPartialCharacterAsTheTokenizerDecodesIt() {
        byte[] utf8 = "wo é".getBytes(StandardCharsets.UTF_8);
        long[] ids = new long[utf8.length - 1];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = utf8[i] & 0xFF;
        }
        IncrementalText incremental = new IncrementalText(bytes, List.of("world"));
        StringBuilder released = new StringBuilder();
        for (int count = 1; count <= ids.length; count++) {
            released.append(incremental.add(ids, count));
        }
        assertThat(released).hasToString("wo ");
        released.append(incremental.finish(ids, ids.length));

        assertThat(released).hasToString(bytes.decode(ids)).hasToString("wo \uFFFD");
        assertThat(incremental.text()).isEqualTo(released.toString());
    }
}
