package org.tsr.generator.openai;

import org.springframework.http.HttpStatus;

/** A request the OpenAI-compatible endpoints refuse, answered in OpenAI's error format. */
class OpenAiException extends RuntimeException {

    private final HttpStatus status;
    private final String param;

    OpenAiException(HttpStatus status, String param, String message) {
        super(message);
        this.status = status;
        this.param = param;
    }

    HttpStatus status() {
        return status;
    }

    String param() {
        return param;
    }
}
