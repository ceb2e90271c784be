package org.tsr.gateway.runs;

import org.springframework.http.HttpStatus;

/** A request about runs that cannot be carried out; becomes problem details naming the field at fault. */
public class RunProblem extends RuntimeException {

    private final HttpStatus status;
    private final String field;

    public RunProblem(HttpStatus status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }
}
