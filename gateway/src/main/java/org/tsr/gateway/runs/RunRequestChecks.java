package org.tsr.gateway.runs;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.tsr.store.web.FieldProblemsAdvice;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks of a run request that bean validation cannot express: its hyperparameter maps read as {@link
 * TrainingHyperparameters} and its judge template. Each refusal is a 400 naming the first field at fault.
 */
@Component
class RunRequestChecks {

    private final Validator validator;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    RunRequestChecks(Validator validator) {
        this.validator = validator;
    }

    /** @param field where the map sits in the request: {@code dpo} or {@code bootstrap.hyperparameters} */
    void hyperparameters(String field, Map<String, Object> hyperparameters) {
        if (hyperparameters == null || hyperparameters.isEmpty()) {
            return;
        }
        TrainingHyperparameters read;
        try {
            read = json.convertValue(hyperparameters, TrainingHyperparameters.class);
        } catch (DatabindException e) {
            throw unreadable(field, e);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof DatabindException cause) {
                throw unreadable(field, cause);
            }
            throw new RunProblem(HttpStatus.BAD_REQUEST, field, field + " cannot be read: " + e.getMessage());
        }
        Set<ConstraintViolation<TrainingHyperparameters>> violations = validator.validate(read);
        violations.stream()
                .min(Comparator.comparing(
                        violation -> violation.getPropertyPath().toString()))
                .ifPresent(violation -> {
                    // the batch-size rule is a method, named after the first of its two fields
                    String path = violation.getPropertyPath().toString().replace("rowsPerStep", "batchSize");
                    String at = field + "." + path;
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

    private static RunProblem unreadable(String field, DatabindException e) {
        String at = field + "." + FieldProblemsAdvice.fieldOf(e.getPath());
        return new RunProblem(HttpStatus.BAD_REQUEST, at, at + ": " + FieldProblemsAdvice.reason(e));
    }
}
