package org.tsr.generator.openai;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.tsr.contract.sampling.SamplingSettings.InvalidSamplingException;
import org.tsr.inference.UnknownGenerationException;
import org.tsr.inference.remote.RemoteServerException;

/** Errors of the {@code /v1} endpoints in the shape OpenAI clients parse: {@code {"error": {...}}}. */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(basePackageClasses = OpenAiErrorAdvice.class)
class OpenAiErrorAdvice {

    @ExceptionHandler(OpenAiException.class)
    ResponseEntity<Map<String, Object>> refused(OpenAiException e) {
        return error(e.status(), e.param(), e.getMessage());
    }

    @ExceptionHandler(InvalidSamplingException.class)
    ResponseEntity<Map<String, Object>> invalidSampling(InvalidSamplingException e) {
        return error(HttpStatus.BAD_REQUEST, OpenAiParameters.openAiName(e.field()), e.getMessage());
    }

    @ExceptionHandler(UnknownGenerationException.class)
    ResponseEntity<Map<String, Object>> unknownModel(UnknownGenerationException e) {
        return error(HttpStatus.NOT_FOUND, "model", e.getMessage());
    }

    @ExceptionHandler(RemoteServerException.class)
    ResponseEntity<Map<String, Object>> remote(RemoteServerException e) {
        return error(HttpStatus.BAD_GATEWAY, null, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return error(HttpStatus.BAD_REQUEST, null, "the request body is not valid JSON for this endpoint");
    }

    static ResponseEntity<Map<String, Object>> error(HttpStatus status, String param, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", status.is4xxClientError() ? "invalid_request_error" : "server_error");
        error.put("param", param);
        error.put("code", null);
        return ResponseEntity.status(status).body(Map.of("error", error));
    }
}
