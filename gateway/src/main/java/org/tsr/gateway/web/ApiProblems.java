package org.tsr.gateway.web;

import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.tsr.gateway.runs.RunProblem;
import org.tsr.store.web.FieldProblemsAdvice;

/** RFC 9457 problem details for the public API, with the field at fault when there is one. */
@RestControllerAdvice
class ApiProblems extends FieldProblemsAdvice {

    @ExceptionHandler(RunProblem.class)
    ProblemDetail runProblem(RunProblem e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        return problem;
    }
}
