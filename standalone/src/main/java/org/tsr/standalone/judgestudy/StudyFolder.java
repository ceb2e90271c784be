package org.tsr.standalone.judgestudy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsr.standalone.console.UserError;
import tools.jackson.databind.json.JsonMapper;

/**
 * The judge study's output folder: {@code study.json} (the points measured so far, with the settings they share), the
 * base models, the suites uploaded ({@code suites/}) and every judged sample per point ({@code samples/}).
 */
final class StudyFolder {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String STUDY_FILE = "study.json";

    private final Path folder;

    StudyFolder(Path folder) {
        this.folder = folder;
    }

    Path path() {
        return folder;
    }

    /** What a folder's points were measured with, beside the grid ({@code study.json}). */
    record Saved(String settings, List<StudyPoint> points) {}

    /** The points a study with the same fixed settings measured in this folder: kept, not measured again. */
    List<StudyPoint> earlierPoints(String fixedSettings) {
        Path file = folder.resolve(STUDY_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Saved saved;
        try {
            saved = JSON.readValue(file.toFile(), Saved.class);
        } catch (RuntimeException e) {
            throw new UserError("cannot read " + file + " (" + e.getMessage() + "); use another --out");
        }
        if (!fixedSettings.equals(saved.settings())) {
            throw new UserError("the output folder holds a study with other settings (" + saved.settings()
                    + "); use another --out to measure with these");
        }
        return saved.points();
    }

    /** Saves the points measured so far, so that a stopped study goes on where it stopped. */
    void save(String fixedSettings, List<StudyPoint> points) {
        write(folder.resolve(STUDY_FILE), JSON.writeValueAsString(new Saved(fixedSettings, points)));
    }

    /** Where a base model's checkpoint lives, made once and reused by a later invocation. */
    Path baseModel(String name) {
        return folder.resolve("models").resolve("base-" + name);
    }

    /** A suite as it was uploaded, in JSON Lines. */
    void writeSuite(String name, String lines) {
        write(folder.resolve("suites").resolve(name + ".jsonl"), lines);
    }

    /** Every judged sample of a point, one JSON object a line, with the judge's texts. */
    void writeSamples(String name, List<JudgedSample> samples) {
        StringBuilder lines = new StringBuilder();
        for (JudgedSample sample : samples) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("family", sample.family());
            line.put("prompt", sample.prompt());
            line.put("response", sample.response());
            line.put("oracle", sample.oracle());
            line.put("judge", sample.judge());
            line.put("judgments", sample.judgments());
            lines.append(JSON.writeValueAsString(line)).append('\n');
        }
        write(folder.resolve("samples").resolve(name + ".jsonl"), lines.toString());
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
