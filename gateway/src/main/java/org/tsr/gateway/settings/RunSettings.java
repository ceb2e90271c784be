package org.tsr.gateway.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingSettings;

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
 * @param bootstrap how M0 is trained first, or null when the run starts from an existing generation
 * @param evaluation how each trained generation is evaluated on the held-out set; null (as in runs created before
 *     evaluation existed) means not at all
 * @param trainer where the run's training jobs run; null (as in runs created before executors existed) leaves it all
 *     to trainer-service's configuration
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSettings(
        long promptSetId,
        int iterations,
        int samplesPerPrompt,
        int judgeSamples,
        Sampling sampling,
        Judging judge,
        TrainingSettings dpo,
        Advance advance,
        boolean chat,
        int promptsPerUnit,
        int responsesPerUnit,
        Bootstrap bootstrap,
        Evaluation evaluation,
        TrainerSettings trainer) {

    /**
     * How M0 is made when the run does not start from an existing generation: SFT of a base generation on the
     * reference answers of a prompt set's splits.
     */
    public record Bootstrap(
            long baseGenerationId, long promptSetId, List<String> splits, TrainingSettings hyperparameters) {}

    /**
     * Evaluation of every generation the run trains (and of its M0) on the prompt set's EVAL prompts: one greedy
     * response each, graded by the oracle against the prompt's reference answer where the prompt has one, and, when
     * {@code judgeGenerationId} names a judge, compared with M0's response by that judge in both orders (pairwise, no
     * oracle needed).
     *
     * @param judgeGenerationId the generation that judges pairwise; null: no pairwise evaluation
     * @param judgeMaxTokens the pairwise judge's token limit per answer
     * @param judgeTemplate the pairwise judge's prompt with {prompt}, {first} and {second}; null: the standard one
     */
    public record Evaluation(
            boolean enabled, int maxTokens, Long judgeGenerationId, Integer judgeMaxTokens, String judgeTemplate) {

        /** A run stored before pairwise evaluation existed has no judge token limit: it gets the default. */
        public Evaluation {
            judgeMaxTokens = judgeMaxTokens == null ? DEFAULT_JUDGE_MAX_TOKENS : judgeMaxTokens;
        }

        public Evaluation(boolean enabled, int maxTokens) {
            this(enabled, maxTokens, null, DEFAULT_JUDGE_MAX_TOKENS, null);
        }

        public static final int DEFAULT_JUDGE_MAX_TOKENS = 256;

        public boolean pairwise() {
            return enabled && judgeGenerationId != null;
        }
    }

    public boolean evaluatesPairwise() {
        return evaluation != null && evaluation.pairwise();
    }

    /** Where the run's training jobs run, with nothing chosen for a run created before executors existed. */
    public TrainerSettings trainerOrDefaults() {
        return trainer == null ? TrainerSettings.defaults() : trainer;
    }

    public boolean evaluates() {
        return evaluation != null && evaluation.enabled();
    }

    public enum Advance {
        AUTO,
        MANUAL
    }

    public record Sampling(double temperature, double topP, int maxTokens, long seed) {

        /**
         * As the generator reads it: {@code n} samples per prompt with {@code seed}.
         *
         * @throws SamplingSettings.InvalidSamplingException naming the setting out of range
         */
        public SamplingSettings toSettings(int n, long seed) {
            return new SamplingSettings(n, temperature, topP, 0, maxTokens, List.of(), seed);
        }
    }

    /**
     * @param role who judges: the iteration's policy, a fixed generation, the built-in oracle, or the oracle with noise
     * @param generationId the judge generation for FIXED, ORACLE and NOISY_ORACLE (the oracle's is registered by the
     *     gateway)
     * @param accuracy for NOISY_ORACLE: the chance that a judge sample is the oracle's grade (otherwise another grade,
     *     uniformly); null for every other role
     * @param expectedScore for a model judge (SELF, FIXED): score each judgment by the probability-weighted mean of the
     *     score digits after its reasoning instead of the digit it wrote; null or false reads the written digit
     */
    public record Judging(
            double temperature,
            int maxTokens,
            String template,
            JudgeRole role,
            Long generationId,
            Double accuracy,
            Boolean expectedScore) {

        /** The generation that judges in an iteration whose policy is {@code policyGenerationId}. */
        public long judgeFor(long policyGenerationId) {
            return role == null || role == JudgeRole.SELF ? policyGenerationId : generationId;
        }
    }

    public enum JudgeRole {
        SELF,
        FIXED,
        ORACLE,
        /** The built-in oracle with a nominal accuracy: the judge of known quality of the judge-accuracy sweep. */
        NOISY_ORACLE
    }
}
