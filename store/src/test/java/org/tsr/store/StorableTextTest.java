package org.tsr.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void nulAndLoneSurrogatesBecomeReplacementCharactersAndPairsStay() {
        assertThat(StorableText.of("plain")).isSameAs("plain");
        assertThat(StorableText.of("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(StorableText.of("x\uD800y\uDC00")).isEqualTo("x\uFFFDy\uFFFD");
        assertThat(StorableText.of("emoji \uD83D\uDE00 ok\u0000")).isEqualTo("emoji \uD83D\uDE00 ok\uFFFD");
        assertThat(StorableText.of(null)).isNull();
    }
}
