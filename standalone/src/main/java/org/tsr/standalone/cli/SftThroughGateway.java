package org.tsr.standalone.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Fine-tunes a model on a prompt set's IFT and EFT splits through the gateway's route to the trainer, showing the job's
 * steps until it ends: how the command line's experiments make their M0. Settings suit the built-in tiny models.
 */
final class SftThroughGateway {

    private static final Duration POLL = Duration.ofSeconds(1);

    private SftThroughGateway() {}

    /**
     * @return the trained generation's id
     * @throws IllegalStateException with the trainer's reason when the job fails
     */
    static long train(
            GatewayClient api, ProgressView progress, long baseId, long promptSet, int epochs, long seed, String what) {
        Map<String, Object> request = Map.of(
                "kind",
                "SFT",
                "baseGenerationId",
                baseId,
                "dataset",
                Map.of("promptSetId", promptSet, "splits", List.of("IFT", "EFT")),
                "hyperparameters",
                Map.of(
                        "learningRate",
                        0.003,
                        "minLearningRate",
                        0.0003,
                        "warmupSteps",
                        10,
                        "epochs",
                        epochs,
                        "batchSize",
                        16,
                        "seed",
                        seed));
        long job = api.post("/api/v1/trainer/trainings", request).get("id").asLong();
        Instant start = Instant.now();
        while (true) {
            JsonNode state = api.get("/api/v1/trainer/trainings/" + job);
            String status = state.get("status").asString();
            int total = state.get("totalSteps").asInt(0);
            int step = status.equals("SUCCEEDED") ? total : state.get("step").asInt();
            show(progress, "  " + what, step, total, start);
            if (status.equals("SUCCEEDED")) {
                progress.done();
                return state.get("outputGenerationId").asLong();
            }
            if (status.equals("FAILED")) {
                progress.done();
                throw new IllegalStateException(
                        what + " failed: " + state.get("error").asString(""));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** One progress line: what, done of total, a bar and the time since {@code since}. */
    static void show(ProgressView progress, String what, int done, int total, Instant since) {
        double fraction = total == 0 ? 0 : (double) done / total;
        String line = String.format(
                Locale.ROOT,
                "%-34s %5d/%-5d %s %3.0f%%  elapsed %s",
                what,
                done,
                total,
                ProgressView.bar(fraction, 24),
                fraction * 100,
                ProgressView.clock(Duration.between(since, Instant.now())));
        progress.show(List.of(line), what + (done * 20 / Math.max(total, 1)));
    }
}
