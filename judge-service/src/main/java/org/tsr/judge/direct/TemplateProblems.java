package org.tsr.judge.direct;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.tsr.judge.rubric.JudgeTemplate.InvalidTemplateException;

/** A judge template the service cannot use is a bad request that names the {@code template} field. */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice
class TemplateProblems {

    @ExceptionHandler(InvalidTemplateException.class)
    ProblemDetail invalidTemplate(InvalidTemplateException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid judge template");
        problem.setProperty("field", "template");
        return problem;
    }
}
