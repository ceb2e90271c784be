package org.tsr.standalone.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.tsr.standalone.console.ProgressView;
import org.tsr.standalone.local.GatewayClient;
import tools.jackson.databind.JsonNode;

/**
 * Fine-tunes a model on a prompt set's IFT and EFT splits through the gateway's route to the trainer, showing the job's
 * steps until it ends: how the command line's experiments make their M0. Settings suit the built-in tiny models.
 */
public final class SftThroughGateway {

    private static final Duration POLL = Duration.ofSeconds(1);

    private SftThroughGateway() {}

    /**
     * @return the trained generation's id
     * @throws IllegalStateException with the trainer's reason when the job fails
     */
    public static long train(
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
            progress.showSteps("  " + what, step, total, start);
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
}
