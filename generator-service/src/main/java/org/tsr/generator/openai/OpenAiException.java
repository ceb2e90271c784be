package org.tsr.generator.openai;

import org.springframework.http.HttpStatus;

/** A request the OpenAI-compatible endpoints refuse, answered in OpenAI's error format. */
class OpenAiException extends RuntimeException {

    private final HttpStatus status;
    private final String param;
    private final String code;

    OpenAiException(HttpStatus status, String param, String code, String message) {
        super(message);
        this.status = status;
        this.param = param;
        this.code = code;
    }

    /** A value this server cannot read or that is out of range. */
    static OpenAiException invalid(String param, String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, param, "invalid_value", message);
    }

    /** A parameter of OpenAI's API set to something this server does not implement. */
    static OpenAiException unsupported(String param, String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, param, "unsupported_parameter", message);
    }

    /** A field that is not a parameter of OpenAI's API for this endpoint. */
    static OpenAiException unknown(String param) {
        return new OpenAiException(
                HttpStatus.BAD_REQUEST, param, "unknown_parameter", "Unrecognized request argument supplied: " + param);
    }

    HttpStatus status() {
        return status;
    }

    String param() {
        return param;
    }

    String code() {
        return code;
    }
}
