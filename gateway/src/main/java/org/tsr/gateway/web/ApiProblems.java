package org.tsr.gateway.web;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.tsr.gateway.runs.RunProblem;
import org.tsr.store.web.FieldProblemsAdvice;

/** RFC 9457 problem details for the public API, with the field at fault when there is one. */
@RestControllerAdvice
class ApiProblems extends FieldProblemsAdvice {

    /**
     * Two requests that both passed their checks and then collided in the store, such as two uploads of one prompt-set
     * name at once: the loser gets 409, nothing of it is stored.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail conflict(DataIntegrityViolationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONFLICT, "the request conflicts with stored data, perhaps a request made at the same time");
        problem.setTitle("Conflict");
        return problem;
    }

    @ExceptionHandler(RunProblem.class)
    ProblemDetail runProblem(RunProblem e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        return problem;
    }
}
