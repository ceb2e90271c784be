package org.tsr.inference.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.tsr.contract.sampling.SamplingSettings.InvalidSamplingException;
import org.tsr.inference.UnknownGenerationException;
import org.tsr.inference.remote.RemoteServerException;
import org.tsr.store.web.FieldProblemsAdvice;

/**
 * RFC 9457 problem details for the APIs of the services that sample and judge: the field at fault for bad input
 * (bean validation lists every field under {@code errors}), 404 for a model generation that does not exist or cannot
 * generate, 502 when a remote inference server failed. Advice with a higher precedence, like the OpenAI-compatible
 * endpoints' own error format, goes first.
 */
@RestControllerAdvice
public class InferenceProblemDetailsAdvice extends FieldProblemsAdvice {

    @ExceptionHandler(InvalidSamplingException.class)
    ProblemDetail invalidSampling(InvalidSamplingException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid sampling settings");
        problem.setProperty("field", "sampling." + e.field());
        return problem;
    }

    @ExceptionHandler(UnknownGenerationException.class)
    ProblemDetail unknownGeneration(UnknownGenerationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Unknown model generation");
        problem.setProperty("field", "generationId");
        return problem;
    }

    @ExceptionHandler(RemoteServerException.class)
    ProblemDetail remoteFailure(RemoteServerException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, e.getMessage());
        problem.setTitle("Inference server failed");
        problem.setType(URI.create("about:blank"));
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Bad request");
        return problem;
    }
}
