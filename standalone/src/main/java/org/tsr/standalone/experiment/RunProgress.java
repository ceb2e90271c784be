package org.tsr.standalone.experiment;

import java.util.List;
import java.util.Locale;
import org.tsr.standalone.console.ProgressView;
import tools.jackson.databind.JsonNode;

/** How far a run got, read from the gateway's view of it: its phases done out of all it will pass through. */
record RunProgress(
        String label,
        String method,
        String status,
        int iteration,
        int iterations,
        String phase,
        long done,
        long total,
        double fraction) {

    private static final List<String> SR =
            List.of("GENERATING", "JUDGING", "PAIRING", "TRAINING", "EVALUATING", "JUDGING_EVALUATION");
    private static final List<String> TSR = List.of(
            "GENERATING",
            "JUDGING",
            "PAIRING",
            "TRAINING_FUTURE",
            "GENERATING_FUTURE",
            "JUDGING_FUTURE",
            "PAIRING_FUTURE",
            "TRAINING",
            "EVALUATING",
            "JUDGING_EVALUATION");

    static RunProgress of(String label, JsonNode run) {
        String method = run.get("method").asString();
        List<String> phases = method.equals("SR") ? SR : TSR;
        int iterations = run.get("settings").get("iterations").asInt();
        JsonNode all = run.get("iterations");
        String status = run.get("status").asString();
        if (all.isEmpty()) {
            return new RunProgress(label, method, status, 0, iterations, "PENDING", 0, 0, 0);
        }
        JsonNode current = all.get(all.size() - 1);
        String phase = current.get("phase").asString();
        long done = current.get("progress").get("done").asLong();
        long total = current.get("progress").get("total").asLong();
        double phaseIndex = phase.equals("DONE") ? phases.size() : Math.max(0, phases.indexOf(phase));
        double within = total == 0 ? 0 : (double) done / total;
        double fraction = status.equals("SUCCEEDED")
                ? 1
                : ((all.size() - 1) * phases.size() + phaseIndex + within) / (iterations * phases.size());
        return new RunProgress(label, method, status, all.size(), iterations, phase, done, total, fraction);
    }

    /** A run not started yet: it waits for the one before it. */
    static RunProgress waiting(String label) {
        return new RunProgress(label, label, "WAITING", 0, 0, "WAITING", 0, 0, 0);
    }

    boolean finished() {
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
    }

    String line() {
        String where = finished() || status.equals("WAITING")
                ? status.toLowerCase(Locale.ROOT)
                : String.format(
                        Locale.ROOT,
                        "iteration %d/%d  %-17s %3d/%-3d units",
                        iteration,
                        iterations,
                        phase,
                        done,
                        total);
        return String.format(
                Locale.ROOT, "%-20s %-46s %s %3.0f%%", label, where, ProgressView.bar(fraction, 24), fraction * 100);
    }
}
