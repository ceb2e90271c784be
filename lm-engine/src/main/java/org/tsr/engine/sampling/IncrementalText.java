package org.tsr.engine.sampling;

import java.util.Arrays;
import java.util.List;
import org.tsr.engine.tokenizer.TextTokenizer;

/**
 * A completion's text built as its tokens arrive, for streaming and for stop strings. Each new token is decoded with
 * the tokens since the last piece of text, and the text grows by what they add once they decode to whole characters:
 * a byte-level token may hold half of a character, which decodes to U+FFFD until the rest arrives. (This is the
 * prefix and read offset scheme of vLLM's detokenizer; each step costs the same however long the text is.) Text that
 * could be the beginning of a stop string is held back until the next tokens show whether it is one.
 */
final class IncrementalText {

    private static final char REPLACEMENT = '\uFFFD';

    private final TextTokenizer tokenizer;
    private final List<String> stop;
    private final int longestStop;
    private final StringBuilder decoded = new StringBuilder();
    // tokens [prefixStart, readStart) made the last piece of text; those from readStart on are not in it yet
    private int prefixStart;
    private int readStart;
    private int released;
    private int stopAt = -1;

    IncrementalText(TextTokenizer tokenizer, List<String> stop) {
        this.tokenizer = tokenizer;
        this.stop = stop;
        this.longestStop = stop.stream().mapToInt(String::length).max().orElse(0);
    }

    /** Takes the newest of the {@code count} generated ids; returns the text that has become final with it. */
    String add(long[] ids, int count) {
        String before = decode(ids, prefixStart, readStart);
        String window = decode(ids, prefixStart, count);
        if (window.length() > before.length() && window.charAt(window.length() - 1) != REPLACEMENT) {
            // a stop string may begin in text already decoded and end in the new piece
            int searchFrom = Math.max(0, decoded.length() - longestStop + 1);
            decoded.append(window, before.length(), window.length());
            prefixStart = readStart;
            readStart = count;
            stopAt = firstStop(searchFrom);
        }
        return release(stopAt >= 0 ? stopAt : decoded.length() - heldBack());
    }

    /** The sequence ended without a stop string: the rest of its text, a trailing partial character included. */
    String finish(long[] ids, int count) {
        if (readStart < count) {
            String before = decode(ids, prefixStart, readStart);
            String window = decode(ids, prefixStart, count);
            if (window.length() > before.length()) {
                decoded.append(window, before.length(), window.length());
            }
            readStart = count;
        }
        return release(stopAt >= 0 ? stopAt : decoded.length());
    }

    boolean stopped() {
        return stopAt >= 0;
    }

    /** The completion's text: cut before the first stop string, if one appeared. */
    String text() {
        return stopAt >= 0 ? decoded.substring(0, stopAt) : decoded.toString();
    }

    private String release(int end) {
        if (end <= released) {
            return "";
        }
        String piece = decoded.substring(released, end);
        released = end;
        return piece;
    }

    /** The longest end of the unreleased text that begins a stop string: what the next tokens may complete. */
    private int heldBack() {
        int most = Math.min(longestStop - 1, decoded.length() - released);
        for (int length = most; length > 0; length--) {
            for (String s : stop) {
                if (s.length() > length && endsWithStart(s, length)) {
                    return length;
                }
            }
        }
        return 0;
    }

    private boolean endsWithStart(String s, int length) {
        int from = decoded.length() - length;
        for (int i = 0; i < length; i++) {
            if (decoded.charAt(from + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int firstStop(int searchFrom) {
        int first = -1;
        for (String s : stop) {
            int at = decoded.indexOf(s, searchFrom);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    private String decode(long[] ids, int from, int to) {
        return from == to ? "" : tokenizer.decode(Arrays.copyOfRange(ids, from, to));
    }
}
