package org.tsr.generator.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A token's text as the list of UTF-8 byte values OpenAI's {@code bytes} fields hold. */
final class TokenBytes {

    private TokenBytes() {}

    static List<Integer> of(String token) {
        byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
        List<Integer> values = new ArrayList<>(utf8.length);
        for (byte b : utf8) {
            values.add(b & 0xFF);
        }
        return values;
    }
}
