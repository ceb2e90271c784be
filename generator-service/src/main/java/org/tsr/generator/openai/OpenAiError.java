package org.tsr.generator.openai;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.tsr.contract.sampling.SamplingSettings.InvalidSamplingException;
import org.tsr.inference.UnknownGenerationException;
import org.tsr.inference.UnsupportedSamplingException;
import org.tsr.inference.remote.RemoteServerException;

/**
 * An error as OpenAI's clients parse it, {@code {"error": {"message", "type", "param", "code"}}}: the answer to a
 * refused request, or the last event of a stream that failed after it began.
 */
record OpenAiError(HttpStatus status, String message, String param, String code) {

    static OpenAiError of(Throwable e) {
        if (e instanceof OpenAiException refused) {
            return new OpenAiError(refused.status(), refused.getMessage(), refused.param(), refused.code());
        }
        if (e instanceof InvalidSamplingException invalid) {
            return new OpenAiError(
                    HttpStatus.BAD_REQUEST, invalid.getMessage(), openAiName(invalid.field()), "invalid_value");
        }
        if (e instanceof UnsupportedSamplingException unsupported) {
            return new OpenAiError(
                    HttpStatus.BAD_REQUEST, unsupported.getMessage(), unsupported.setting(), "unsupported_parameter");
        }
        if (e instanceof UnknownGenerationException unknown) {
            return new OpenAiError(HttpStatus.NOT_FOUND, unknown.getMessage(), "model", "model_not_found");
        }
        if (e instanceof RemoteServerException remote) {
            return new OpenAiError(HttpStatus.BAD_GATEWAY, remote.getMessage(), null, null);
        }
        if (e instanceof HttpMessageNotReadableException) {
            return new OpenAiError(HttpStatus.BAD_REQUEST, "the request body is not valid JSON", null, "invalid_json");
        }
        if (e instanceof IllegalArgumentException bad) {
            // the engine's refusals: a prompt longer than the model's context, a token outside its vocabulary
            return new OpenAiError(HttpStatus.BAD_REQUEST, bad.getMessage(), null, null);
        }
        return new OpenAiError(
                HttpStatus.INTERNAL_SERVER_ERROR, "the server failed to answer: " + e.getMessage(), null, null);
    }

    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", status.is4xxClientError() ? "invalid_request_error" : "server_error");
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }

    ResponseEntity<Map<String, Object>> response() {
        return ResponseEntity.status(status).body(body());
    }

    /** The OpenAI name of a field of the platform's sampling settings. */
    private static String openAiName(String field) {
        return switch (field) {
            case "topP" -> "top_p";
            case "topK" -> "top_k";
            case "maxTokens" -> "max_tokens";
            default -> field;
        };
    }
}
