package org.tsr.store;

/**
 * Text a model wrote, made storable: PostgreSQL's text type cannot hold NUL, and UTF-8 cannot encode half of a
 * surrogate pair, yet a model (a byte-level tokenizer, a remote server) may produce either. Each becomes U+FFFD, the
 * replacement character, so the rest of the text is kept and the row is written.
 */
public final class StorableText {

    private StorableText() {}

    public static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == '\0' || (Character.isSurrogate(c) && !pair);
            if (bad && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                if (bad) {
                    out.append('\uFFFD');
                } else if (pair) {
                    out.append(c).append(text.charAt(i + 1));
                } else {
                    out.append(c);
                }
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }
}
