package org.tsr.trainer.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.tsr.store.web.FieldProblemsAdvice;
import org.tsr.trainer.job.InvalidTrainingJobException;

/**
 * RFC 9457 problem details naming the field at fault: 400 for a value out of range or an empty dataset, 404 for a
 * generation or job that does not exist.
 */
@RestControllerAdvice
class TrainerProblemDetailsAdvice extends FieldProblemsAdvice {

    @ExceptionHandler(InvalidTrainingJobException.class)
    ProblemDetail invalidJob(InvalidTrainingJobException e) {
        HttpStatus status = e.isNotFound() ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(e.isNotFound() ? "Unknown model generation" : "Invalid training job");
        problem.setProperty("field", e.field());
        return problem;
    }

    @ExceptionHandler(TrainingJobNotFoundException.class)
    ProblemDetail unknownJob(TrainingJobNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Unknown training job");
        return problem;
    }
}
