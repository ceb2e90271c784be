package org.tsr.store.response;

import java.util.List;

/** Renders responses as rows of PostgreSQL's COPY text format: tab-separated columns, {@code \N} for null. */
final class CopyText {

    private CopyText() {}

    static String rows(List<NewResponse> responses) {
        StringBuilder out = new StringBuilder(responses.size() * 512);
        for (NewResponse response : responses) {
            out.append(response.promptId()).append('\t');
            out.append(response.generationId()).append('\t');
            if (response.iterationId() == null) {
                out.append("\\N");
            } else {
                out.append(response.iterationId());
            }
            out.append('\t').append(response.purpose().name()).append('\t');
            out.append(response.sampleIndex()).append('\t');
            escape(response.text(), out);
            out.append('\t').append(response.tokenCount()).append('\t');
            out.append(response.finishReason().name()).append('\n');
        }
        return out.toString();
    }

    /** Escapes the characters COPY's text format gives a meaning: backslash, tab, newline and carriage return. */
    static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
