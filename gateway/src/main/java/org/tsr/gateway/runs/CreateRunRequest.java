package org.tsr.gateway.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.gateway.settings.RunSettings;
import org.tsr.store.run.RunMethod;

/**
 * A run to start, from an existing generation ({@code initialGenerationId}) or from a base model that is first
 * fine-tuned into M0 ({@code bootstrap}); exactly one of the two. Left out: K 4, 3 judge samples, sampling at temperature 0.7 and top-p 0.9 with 128 tokens, judging
 * at temperature 0.7 with 256 tokens and the default rubric, automatic advance, chat format on, 16 prompts per
 * generation unit, 64 responses per judging unit, and evaluation when the prompt set has EVAL prompts with
 * reference answers. {@code trainer} (executor, nodes, gpusPerNode, image) says where the run's training jobs run;
 * what it leaves out takes trainer-service's configuration.
 */
public record CreateRunRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull RunMethod method,
        Long initialGenerationId,
        @Valid Bootstrap bootstrap,
        @NotNull Long promptSetId,
        @NotNull @Min(1) @Max(100) Integer iterations,
        @Min(1) @Max(64) Integer samplesPerPrompt,
        @Min(1) @Max(16) Integer judgeSamples,
        @Valid Sampling sampling,
        @Valid Judging judge,
        TrainingSettings dpo,
        RunSettings.Advance advance,
        Boolean chat,
        @Min(1) @Max(4096) Integer promptsPerUnit,
        @Min(1) @Max(4096) Integer responsesPerUnit,
        @Valid Evaluation evaluation,
        @Valid TrainerSettings trainer) {

    /** New tokens per sample at most, whatever the model (the generator also holds it to the model's context). */
    static final int MAX_TOKENS = 131_072;

    public record Sampling(
            @DecimalMin("0.0") Double temperature,

            @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0")
            Double topP,

            @Min(1) @Max(MAX_TOKENS) Integer maxTokens,
            Long seed) {}

    /**
     * Train M0 first: SFT of {@code baseGenerationId} on the reference answers of the splits (IFT and EFT when left
     * out) of {@code promptSetId} (the run's prompt set when left out).
     */
    public record Bootstrap(
            @NotNull Long baseGenerationId,
            Long promptSetId,
            @Size(max = 4) List<String> splits,
            TrainingSettings hyperparameters) {}

    /**
     * Evaluation on the prompt set's EVAL prompts after every iteration. Left out: on when the set has EVAL prompts
     * with reference answers (or, with {@code judgeGenerationId}, any EVAL prompts), with the sampling's token limit.
     * {@code judgeGenerationId} names a READY model generation (embedded or remote) that compares each evaluated
     * response with M0's in both orders: the evaluation for prompt sets without an oracle; {@code judgeTemplate}
     * replaces its standard prompt (with {prompt}, {first} and {second} once each).
     */
    public record Evaluation(
            Boolean enabled,
            @Min(1) @Max(MAX_TOKENS) Integer maxTokens,
            Long judgeGenerationId,
            @Min(1) @Max(MAX_TOKENS) Integer judgeMaxTokens,
            @Size(max = 16_384) String judgeTemplate) {

        public Evaluation(Boolean enabled, Integer maxTokens) {
            this(enabled, maxTokens, null, null, null);
        }
    }

    /**
     * How responses are judged. {@code role}: SELF (the iteration's policy judges its own samples, the papers'
     * setting; the default), FIXED (the generation {@code generationId} judges every iteration, for example a
     * stronger model or one served remotely), ORACLE (the built-in task suite's oracle, as a control) or NOISY_ORACLE
     * (the oracle, each judge sample right with probability {@code accuracy} and otherwise another grade drawn
     * uniformly: a judge of known quality). {@code expectedScore}: a model judge's score is the probability-weighted
     * mean of the score digits after its reasoning (G-Eval's expected score), for embedded judge models.
     */
    public record Judging(
            @DecimalMin("0.0") Double temperature,
            @Min(1) @Max(MAX_TOKENS) Integer maxTokens,
            @Size(max = 16_384) String template,
            RunSettings.JudgeRole role,
            Long generationId,

            @DecimalMin("0.0") @DecimalMax("1.0") Double accuracy,
            Boolean expectedScore) {

        public Judging(
                Double temperature, Integer maxTokens, String template, RunSettings.JudgeRole role, Long generationId) {
            this(temperature, maxTokens, template, role, generationId, null, null);
        }
    }

    /**
     * The settings with every default filled in; {@code gradablePrompts} says whether the set has EVAL prompts the
     * oracle can grade, {@code evalPrompts} whether it has any.
     */
    RunSettings toSettings(boolean gradablePrompts, boolean evalPrompts) {
        Long pairwiseJudge = evaluation == null ? null : evaluation.judgeGenerationId();
        boolean evaluateByDefault = pairwiseJudge == null ? gradablePrompts : evalPrompts;
        Sampling s = sampling == null ? new Sampling(null, null, null, null) : sampling;
        Judging j = judge == null ? new Judging(null, null, null, null, null, null, null) : judge;
        return new RunSettings(
                promptSetId,
                iterations,
                samplesPerPrompt == null ? 4 : samplesPerPrompt,
                judgeSamples == null ? 3 : judgeSamples,
                new RunSettings.Sampling(
                        s.temperature() == null ? 0.7 : s.temperature(),
                        s.topP() == null ? 0.9 : s.topP(),
                        s.maxTokens() == null ? 128 : s.maxTokens(),
                        s.seed() == null ? 0 : s.seed()),
                new RunSettings.Judging(
                        j.temperature() == null ? 0.7 : j.temperature(),
                        j.maxTokens() == null ? 256 : j.maxTokens(),
                        j.template(),
                        j.role() == null ? RunSettings.JudgeRole.SELF : j.role(),
                        j.generationId(),
                        j.accuracy(),
                        j.expectedScore()),
                dpo == null ? TrainingSettings.defaults() : dpo,
                advance == null ? RunSettings.Advance.AUTO : advance,
                chat == null || chat,
                promptsPerUnit == null ? 16 : promptsPerUnit,
                responsesPerUnit == null ? 64 : responsesPerUnit,
                bootstrap == null
                        ? null
                        : new RunSettings.Bootstrap(
                                bootstrap.baseGenerationId(),
                                bootstrap.promptSetId() == null ? promptSetId : bootstrap.promptSetId(),
                                bootstrap.splits() == null ? List.of("IFT", "EFT") : bootstrap.splits(),
                                bootstrap.hyperparameters() == null
                                        ? TrainingSettings.defaults()
                                        : bootstrap.hyperparameters()),
                new RunSettings.Evaluation(
                        evaluation == null || evaluation.enabled() == null ? evaluateByDefault : evaluation.enabled(),
                        evaluation == null || evaluation.maxTokens() == null
                                ? (s.maxTokens() == null ? 128 : s.maxTokens())
                                : evaluation.maxTokens(),
                        pairwiseJudge,
                        evaluation == null || evaluation.judgeMaxTokens() == null
                                ? RunSettings.Evaluation.DEFAULT_JUDGE_MAX_TOKENS
                                : evaluation.judgeMaxTokens(),
                        evaluation == null ? null : evaluation.judgeTemplate()),
                trainer == null ? TrainerSettings.defaults() : trainer);
    }
}
