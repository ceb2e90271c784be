package org.tsr.gateway.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A run's settings, stored as the run's configuration JSON; everything the conductor needs to create the work of
 * each phase.
 *
 * @param promptSetId the prompts; iteration i samples on the set's ITERATION chunk i
 * @param iterations how many iterations to run
 * @param samplesPerPrompt K responses per prompt from each sampling model
 * @param judgeSamples judgments per response, averaged
 * @param sampling how responses are sampled
 * @param judge how the judge samples, and an optional judge template
 * @param dpo hyperparameters handed to the trainer for every DPO job
 * @param advance AUTO starts the next iteration at once; MANUAL waits for a request
 * @param chat whether prompts go through the models' chat format
 * @param promptsPerUnit prompts per GENERATE work unit
 * @param responsesPerUnit responses per JUDGE work unit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSettings(
        long promptSetId,
        int iterations,
        int samplesPerPrompt,
        int judgeSamples,
        Sampling sampling,
        Judging judge,
        Map<String, Object> dpo,
        Advance advance,
        boolean chat,
        int promptsPerUnit,
        int responsesPerUnit) {

    public enum Advance {
        AUTO,
        MANUAL
    }

    public record Sampling(double temperature, double topP, int maxTokens, long seed) {}

    public record Judging(double temperature, int maxTokens, String template) {}
}
