package org.tsr.store.response;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.copy.CopyIn;
import org.tsr.store.StorableText;

/**
 * Streams responses to a {@code COPY ... FROM STDIN} in PostgreSQL's text format: tab-separated columns, {@code \N} for
 * null. Rows are rendered and sent in chunks, so the server parses and inserts one chunk while the next is rendered.
 */
final class CopyText {

    private static final int CHUNK_CHARS = 1 << 16;

    private CopyText() {}

    /** Sends every row and ends the copy; returns the number of rows the server took. */
    static long send(List<NewResponse> responses, CopyIn copy) throws SQLException {
        StringBuilder chunk = new StringBuilder(CHUNK_CHARS + 1024);
        for (NewResponse response : responses) {
            appendRow(response, chunk);
            if (chunk.length() >= CHUNK_CHARS) {
                write(chunk, copy);
            }
        }
        write(chunk, copy);
        return copy.endCopy();
    }

    private static void write(StringBuilder chunk, CopyIn copy) throws SQLException {
        if (!chunk.isEmpty()) {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            chunk.setLength(0);
        }
    }

    static void appendRow(NewResponse response, StringBuilder out) {
        out.append(response.promptId()).append('\t');
        out.append(response.generationId()).append('\t');
        if (response.iterationId() == null) {
            out.append("\\N");
        } else {
            out.append(response.iterationId());
        }
        out.append('\t').append(response.purpose().name()).append('\t');
        out.append(response.sampleIndex()).append('\t');
        escape(StorableText.of(response.text()), out);
        out.append('\t').append(response.tokenCount()).append('\t');
        out.append(response.finishReason().name()).append('\n');
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
