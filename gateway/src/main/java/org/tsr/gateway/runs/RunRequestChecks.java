package org.tsr.gateway.runs;

import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.gateway.settings.RunSettings;

/**
 * Checks of a run request beyond its own annotations: its training settings, against the bounds of the contract the
 * trainer reads them with, and its judge template. Each refusal is a 400 naming the first field at fault.
 */
@Component
class RunRequestChecks {

    private final Validator validator;

    RunRequestChecks(Validator validator) {
        this.validator = validator;
    }

    /**
     * Checks training settings against the bounds the trainer holds them to, so that a bad value fails when the run
     * is created and not when its first training job starts.
     *
     * @param field where the settings sit in the request: {@code dpo} or {@code bootstrap.hyperparameters}
     */
    void hyperparameters(String field, TrainingSettings hyperparameters) {
        validator.validate(hyperparameters).stream()
                .min(Comparator.comparing(
                        violation -> violation.getPropertyPath().toString()))
                .ifPresent(violation -> {
                    String at = field + "." + TrainingSettings.fieldOf(violation.getPropertyPath());
                    throw new RunProblem(HttpStatus.BAD_REQUEST, at, at + " " + violation.getMessage());
                });
    }

    /** Refuses trainer settings that do not apply to the executor they choose (eight nodes of the embedded trainer). */
    void trainer(TrainerSettings trainer) {
        trainer.misplaced().ifPresent(misplaced -> {
            String at = "trainer." + misplaced.field();
            throw new RunProblem(HttpStatus.BAD_REQUEST, at, at + ": " + misplaced.message());
        });
    }

    /**
     * Checks the run's sampling and judging as the services will read them ({@link SamplingSettings}): a value the
     * request's own bounds let through (an infinite temperature, say) is refused now, not at the first unit.
     */
    void sampling(RunSettings settings) {
        RunSettings.Sampling sampling = settings.sampling();
        RunSettings.Judging judge = settings.judge();
        check("sampling", "samplesPerPrompt", () -> sampling.toSettings(settings.samplesPerPrompt(), sampling.seed()));
        check(
                "judge",
                "judgeSamples",
                () -> new SamplingSettings(
                        settings.judgeSamples(), judge.temperature(), 1.0, 0, judge.maxTokens(), List.of(), 0));
    }

    /** @param samplesField the run's name for the settings' {@code n} */
    private static void check(String prefix, String samplesField, Runnable read) {
        try {
            read.run();
        } catch (SamplingSettings.InvalidSamplingException e) {
            String at = e.field().equals("n") ? samplesField : prefix + "." + e.field();
            throw new RunProblem(HttpStatus.BAD_REQUEST, at, at + ": " + e.getMessage());
        }
    }

    /** A judge template holds each placeholder exactly once: more would multiply the judge's prompt. */
    void judgeTemplate(String template) {
        placeholdersOnce("judge.template", template, "{prompt}", "{response}");
    }

    /** The same for the template of a pairwise evaluation judge, which shows the prompt and two responses. */
    void pairwiseTemplate(String template) {
        placeholdersOnce("evaluation.judgeTemplate", template, "{prompt}", "{first}", "{second}");
    }

    private static void placeholdersOnce(String field, String template, String... placeholders) {
        if (template == null) {
            return;
        }
        for (String placeholder : placeholders) {
            int count = template.split(Pattern.quote(placeholder), -1).length - 1;
            if (count != 1) {
                throw new RunProblem(
                        HttpStatus.BAD_REQUEST,
                        field,
                        "the template must contain " + placeholder + " exactly once; it has " + count);
            }
        }
    }
}
