package org.tsr.tasks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Writes the suite as JSON Lines, the format the gateway's prompt-set upload reads. */
public final class SuiteExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SuiteExport() {}

    public static String toJsonLines(List<SuitePrompt> prompts) {
        StringBuilder lines = new StringBuilder();
        for (SuitePrompt prompt : prompts) {
            lines.append(JSON.writeValueAsString(prompt)).append('\n');
        }
        return lines.toString();
    }

    public static void write(List<SuitePrompt> prompts, Writer out) {
        try {
            out.write(toJsonLines(prompts));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
