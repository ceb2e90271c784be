package org.tsr.trainer.export;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The line protocol of {@link ProgressEvent}: a JSON object with {@code "tsr_event"} naming the event ({@code start},
 * {@code step}, {@code checkpoint}, {@code done}, {@code failed}); any other line is a log line. The project's
 * trainer process and the TRL entry point (deploy/trainer) both write it.
 */
public final class ProgressLines {

    public static final String EVENT = "tsr_event";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProgressLines() {}

    public static String started(int totalSteps, int examples, String description) {
        return line(
                Map.of(EVENT, "start", "total_steps", totalSteps, "examples", examples, "description", description));
    }

    public static String step(Map<String, Object> metrics) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(EVENT, "step");
        line.putAll(metrics);
        return line(line);
    }

    public static String checkpointed(int step) {
        return line(Map.of(EVENT, "checkpoint", "step", step));
    }

    public static String finished(int steps, Map<String, Object> summary) {
        return line(Map.of(EVENT, "done", "steps", steps, "summary", summary));
    }

    public static String failed(String reason, String field) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(EVENT, "failed");
        line.put("reason", reason);
        if (field != null) {
            line.put("field", field);
        }
        return line(line);
    }

    /** Reads one line; anything that is not an event (a log line, a half-written line) is a {@link ProgressEvent.Log}. */
    @SuppressWarnings("unchecked")
    public static ProgressEvent parse(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{") || !trimmed.contains(EVENT)) {
            return new ProgressEvent.Log(text);
        }
        Map<String, Object> map;
        try {
            map = JSON.readValue(trimmed, Map.class);
        } catch (RuntimeException e) {
            return new ProgressEvent.Log(text);
        }
        Object event = map.remove(EVENT);
        return switch (String.valueOf(event)) {
            case "start" ->
                new ProgressEvent.Started(
                        integer(map, "total_steps"), integer(map, "examples"), String.valueOf(map.get("description")));
            case "step" -> new ProgressEvent.Step(map);
            case "checkpoint" -> new ProgressEvent.Checkpointed(integer(map, "step"));
            case "done" ->
                new ProgressEvent.Finished(
                        integer(map, "steps"),
                        map.get("summary") instanceof Map<?, ?> summary ? (Map<String, Object>) summary : Map.of());
            case "failed" ->
                new ProgressEvent.Failed(
                        String.valueOf(map.get("reason")),
                        map.get("field") == null ? null : String.valueOf(map.get("field")));
            default -> new ProgressEvent.Log(text);
        };
    }

    private static int integer(Map<String, Object> map, String name) {
        return map.get(name) instanceof Number number ? number.intValue() : 0;
    }

    private static String line(Map<String, Object> map) {
        return JSON.writeValueAsString(map);
    }
}
