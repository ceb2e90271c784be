package org.tsr.generator.openai;

import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.tsr.contract.sampling.SamplingSettings.InvalidSamplingException;
import org.tsr.inference.UnknownGenerationException;
import org.tsr.inference.UnsupportedSamplingException;
import org.tsr.inference.remote.RemoteServerException;

/** Errors of the {@code /v1} endpoints in the shape OpenAI clients parse: {@code {"error": {...}}}. */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(basePackageClasses = OpenAiErrorAdvice.class)
class OpenAiErrorAdvice {

    @ExceptionHandler({
        OpenAiException.class,
        InvalidSamplingException.class,
        UnsupportedSamplingException.class,
        UnknownGenerationException.class,
        RemoteServerException.class,
        HttpMessageNotReadableException.class,
        IllegalArgumentException.class
    })
    ResponseEntity<Map<String, Object>> refused(Exception e) {
        return OpenAiError.of(e).response();
    }
}
