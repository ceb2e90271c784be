package org.tsr.store.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The base of every service's problem-details advice: Spring's RFC 9457 handling, with bean-validation failures
 * listing each field at fault under {@code errors} (and naming it in {@code field} when there is one).
 */
public abstract class FieldProblemsAdvice extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        String detail = errors.stream()
                .map(error -> error.get("field") + " " + error.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        if (errors.size() == 1) {
            problem.setProperty("field", errors.get(0).get("field"));
        }
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * A body that is not JSON, or JSON that does not fit the request: names the field at fault (as {@code a.b[2].c})
     * and what is wrong with it, without echoing Jackson's class names.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem;
        if (e.getCause() instanceof DatabindException bad && !bad.getPath().isEmpty()) {
            String field = fieldOf(bad.getPath());
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + ": " + reason(bad));
            problem.setProperty("field", field);
        } else {
            problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.BAD_REQUEST, "the request body is missing or not valid JSON");
        }
        problem.setTitle("Unreadable request");
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** What is wrong with the field Jackson was reading, in words. */
    public static String reason(DatabindException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof InvalidFormatException format) {
            return "cannot read " + describe(format.getValue()) + " as " + typeName(format.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + typeName(mismatch.getTargetType());
        }
        return "cannot be read";
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? "'" + text.substring(0, 40) + "...'" : "'" + text + "'";
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "the expected type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string without NUL characters or unpaired surrogates";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    /** {@code settings.dpo.beta}, {@code splits[0]}: the path Jackson was reading. */
    public static String fieldOf(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference step : path) {
            if (step.getPropertyName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(step.getPropertyName());
            } else if (step.getIndex() >= 0) {
                field.append('[').append(step.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
