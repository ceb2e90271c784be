package org.tsr.gateway.runs;

import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.tsr.contract.training.TrainingSettings;

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

    /** A judge template holds each placeholder exactly once: more would multiply the judge's prompt. */
    void judgeTemplate(String template) {
        if (template == null) {
            return;
        }
        for (String placeholder : new String[] {"{prompt}", "{response}"}) {
            int count = template.split(Pattern.quote(placeholder), -1).length - 1;
            if (count != 1) {
                throw new RunProblem(
                        HttpStatus.BAD_REQUEST,
                        "judge.template",
                        "the judge template must contain " + placeholder + " exactly once; it has " + count);
            }
        }
    }
}
