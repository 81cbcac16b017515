package dev.bulkoffboarding.web;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.launch.NoSuchJobException;
import org.springframework.batch.core.launch.NoSuchJobExecutionException;
import org.springframework.batch.core.launch.NoSuchJobInstanceException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the REST API as an RFC 9457 problem detail: refusals of run actions with their
 * own status, Spring Batch's exceptions mapped (a run already running or complete: 409; an unknown
 * job, instance or execution: 404), and Spring MVC's own errors (bad parameters: 400) by the base class.
 */
@RestControllerAdvice(assignableTypes = ApiController.class)
@ConditionalOnWebApplication
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(RunActionException.class)
    ProblemDetail refused(RunActionException ex, HttpServletRequest request) {
        ProblemDetail problem = problem(ex.status(), ex.getMessage(), request);
        ex.properties().forEach(problem::setProperty);
        return problem;
    }

    @ExceptionHandler({ JobExecutionAlreadyRunningException.class, JobInstanceAlreadyCompleteException.class,
            JobRestartException.class })
    ProblemDetail conflict(Exception ex, HttpServletRequest request) {
        return problem(HttpStatus.CONFLICT, ex.getMessage(), request);
    }

    @ExceptionHandler({ NoSuchJobException.class, NoSuchJobInstanceException.class,
            NoSuchJobExecutionException.class })
    ProblemDetail notFound(Exception ex, HttpServletRequest request) {
        return problem(HttpStatus.NOT_FOUND, ex.getMessage(), request);
    }

    private static ProblemDetail problem(HttpStatus status, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        return problem;
    }

}
