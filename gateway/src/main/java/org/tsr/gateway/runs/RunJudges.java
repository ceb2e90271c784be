package org.tsr.gateway.runs;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.tsr.gateway.settings.RunSettings;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;

/** Checks a run's judge settings against its role and names the generation that judges. */
@Component
class RunJudges {

    private final ModelGenerationRepository generations;
    private final ReadyGenerations readyGenerations;

    RunJudges(ModelGenerationRepository generations, ReadyGenerations readyGenerations) {
        this.generations = generations;
        this.readyGenerations = readyGenerations;
    }

    /** Resolves the judge: a FIXED judge must be a READY model; the ORACLE is registered on first use. */
    RunSettings resolve(RunSettings settings) {
        RunSettings.Judging judge = settings.judge();
        Long judgeId = switch (judge.role()) {
            case SELF -> {
                if (judge.generationId() != null) {
                    throw new RunProblem(
                            HttpStatus.BAD_REQUEST,
                            "judge.generationId",
                            "a SELF judge is the iteration's policy; give judge.role FIXED to name a judge");
                }
                yield null;
            }
            case FIXED -> {
                if (judge.generationId() == null) {
                    throw new RunProblem(
                            HttpStatus.BAD_REQUEST,
                            "judge.generationId",
                            "a FIXED judge needs the generation that judges");
                }
                yield readyGenerations
                        .require(judge.generationId(), "judge.generationId")
                        .getId();
            }
            case ORACLE, NOISY_ORACLE -> {
                if (judge.generationId() != null) {
                    throw new RunProblem(
                            HttpStatus.BAD_REQUEST,
                            "judge.generationId",
                            "the " + judge.role() + " judge is the built-in oracle; leave judge.generationId out");
                }
                yield generations
                        .findFirstByCheckpointFormatOrderById(CheckpointFormat.BUILTIN_ORACLE)
                        .orElseGet(() -> generations.save(ModelGeneration.builtinOracle()))
                        .getId();
            }
        };
        if (judge.role() == RunSettings.JudgeRole.NOISY_ORACLE && judge.accuracy() == null) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "judge.accuracy",
                    "a NOISY_ORACLE judge needs its accuracy, the chance in [0, 1] that a judge sample is the"
                            + " oracle's grade");
        }
        boolean modelJudge = judge.role() == RunSettings.JudgeRole.SELF || judge.role() == RunSettings.JudgeRole.FIXED;
        if (Boolean.TRUE.equals(judge.expectedScore()) && !modelJudge) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "judge.expectedScore",
                    "expected-score judging reads a model judge's score probabilities; the " + judge.role()
                            + " judge has none");
        }
        RunSettings.Evaluation evaluation = settings.evaluation();
        if (evaluation != null && evaluation.judgeGenerationId() != null) {
            ModelGeneration pairwiseJudge =
                    readyGenerations.require(evaluation.judgeGenerationId(), "evaluation.judgeGenerationId");
            if (pairwiseJudge.getCheckpointFormat() == CheckpointFormat.BUILTIN_ORACLE) {
                throw new RunProblem(
                        HttpStatus.BAD_REQUEST,
                        "evaluation.judgeGenerationId",
                        "generation " + pairwiseJudge.getId() + " is the built-in oracle, which grades against"
                                + " reference answers and cannot compare two responses; name a model generation");
            }
        }
        if (judge.role() != RunSettings.JudgeRole.NOISY_ORACLE && judge.accuracy() != null) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "judge.accuracy",
                    "judge.accuracy applies to the NOISY_ORACLE judge only, not " + judge.role());
        }
        return new RunSettings(
                settings.promptSetId(),
                settings.iterations(),
                settings.samplesPerPrompt(),
                settings.judgeSamples(),
                settings.sampling(),
                new RunSettings.Judging(
                        judge.temperature(),
                        judge.maxTokens(),
                        judge.template(),
                        judge.role(),
                        judgeId,
                        judge.accuracy(),
                        judge.expectedScore()),
                settings.dpo(),
                settings.advance(),
                settings.chat(),
                settings.promptsPerUnit(),
                settings.responsesPerUnit(),
                settings.bootstrap(),
                settings.evaluation(),
                settings.trainer());
    }
}
