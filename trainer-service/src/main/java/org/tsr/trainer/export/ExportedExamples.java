package org.tsr.trainer.export;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's examples in TRL's dataset formats, one JSON object per line. With the chat format the rows are
 * conversational ({@code prompt} a list of messages, {@code chosen} and {@code rejected} each a list holding the
 * assistant's message; an SFT row is {@code messages}), so TRL applies the tokenizer's chat template as the
 * generator did; without it they are standard ({@code prompt}, {@code chosen}, {@code rejected} strings; an SFT row
 * is {@code prompt} and {@code completion}). Reference log-probabilities go in TRL's precomputed columns
 * {@code ref_chosen_logps} and {@code ref_rejected_logps}.
 */
public final class ExportedExamples {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ExportedExamples() {}

    public static void writePairs(Path file, List<PreferenceRow> rows, boolean chat) {
        write(file, rows.stream().map(row -> pairLine(row, chat)).toList());
    }

    public static void writeSft(Path file, List<SftRow> rows, boolean chat) {
        write(file, rows.stream().map(row -> sftLine(row, chat)).toList());
    }

    public static List<PreferenceRow> readPairs(Path file) {
        List<PreferenceRow> rows = new ArrayList<>();
        forEachLine(
                file,
                (node, line) -> rows.add(new PreferenceRow(
                        text(node, "prompt", "user", file, line),
                        text(node, "chosen", "assistant", file, line),
                        text(node, "rejected", "assistant", file, line),
                        number(node, "ref_chosen_logps"),
                        number(node, "ref_rejected_logps"))));
        return rows;
    }

    public static List<SftRow> readSft(Path file) {
        List<SftRow> rows = new ArrayList<>();
        forEachLine(file, (node, line) -> {
            if (node.has("messages")) {
                rows.add(new SftRow(
                        text(node, "messages", "user", file, line), text(node, "messages", "assistant", file, line)));
            } else {
                rows.add(new SftRow(
                        text(node, "prompt", "user", file, line), text(node, "completion", "assistant", file, line)));
            }
        });
        return rows;
    }

    /** Reads the reference log-probabilities a trainer wrote, as {chosen, rejected} per pair. */
    public static List<double[]> readReference(Path file) {
        List<double[]> values = new ArrayList<>();
        forEachLine(file, (node, line) -> {
            Double chosen = number(node, "ref_chosen_logps");
            Double rejected = number(node, "ref_rejected_logps");
            if (chosen == null || rejected == null) {
                throw new ExportFormatException(
                        file + " line " + line + ": ref_chosen_logps and ref_rejected_logps" + " must be numbers");
            }
            values.add(new double[] {chosen, rejected});
        });
        return values;
    }

    /** Written whole or not at all: a trainer stopped halfway leaves no half file. */
    public static void writeReference(Path file, List<double[]> values) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        write(
                partial,
                values.stream()
                        .map(pair -> (Object) Map.of("ref_chosen_logps", pair[0], "ref_rejected_logps", pair[1]))
                        .toList());
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Object pairLine(PreferenceRow row, boolean chat) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("prompt", chat ? List.of(message("user", row.prompt())) : row.prompt());
        line.put("chosen", chat ? List.of(message("assistant", row.chosen())) : row.chosen());
        line.put("rejected", chat ? List.of(message("assistant", row.rejected())) : row.rejected());
        if (row.hasReference()) {
            line.put("ref_chosen_logps", row.referenceChosenLogp());
            line.put("ref_rejected_logps", row.referenceRejectedLogp());
        }
        return line;
    }

    private static Object sftLine(SftRow row, boolean chat) {
        if (chat) {
            return Map.of("messages", List.of(message("user", row.prompt()), message("assistant", row.response())));
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("prompt", row.prompt());
        line.put("completion", row.response());
        return line;
    }

    private static Map<String, String> message(String role, String content) {
        Map<String, String> message = new LinkedHashMap<>();
        message.put("role", role);
        message.put("content", content);
        return message;
    }

    /** A field's text: the string itself, or the content of the first message with the role in a message list. */
    private static String text(JsonNode node, String field, String role, Path file, int line) {
        JsonNode value = node.get(field);
        if (value != null && value.isString()) {
            return value.asString();
        }
        if (value != null && value.isArray()) {
            for (JsonNode message : value) {
                if (role.equals(message.path("role").asString(""))
                        && message.path("content").isString()) {
                    return message.path("content").asString();
                }
            }
        }
        throw new ExportFormatException(file + " line " + line + ": " + field
                + " must be a string or a list of messages with a " + role + " message");
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asDouble() : null;
    }

    private interface LineReader {
        void read(JsonNode node, int line);
    }

    private static void forEachLine(Path file, LineReader reader) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (RuntimeException e) {
                    throw new ExportFormatException(file + " line " + line + " is not JSON: " + e.getMessage());
                }
                if (!node.isObject()) {
                    throw new ExportFormatException(file + " line " + line + " is not a JSON object");
                }
                reader.read(node, line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, List<Object> lines) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object line : lines) {
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
