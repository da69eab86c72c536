package dev.conductor.samples.orders;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the order API's exceptions into problem details ({@code application/problem+json}) with the right status:
 * {@code 503} with {@code Retry-After} while the service cannot take the request, {@code 400} for an invalid order,
 * and Spring MVC's own problem details for the rest (a body that is not JSON is {@code 400}, a wrong content type
 * {@code 415}, ...), which {@link ResponseEntityExceptionHandler} provides.
 */
@RestControllerAdvice(assignableTypes = OrderController.class)
class OrderApiErrors extends ResponseEntityExceptionHandler {

    /** Seconds a refused client waits before it tries again. */
    static final String RETRY_AFTER = "5";

    private static final Log logger = LogFactory.getLog(OrderApiErrors.class);

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unavailable(ServiceUnavailableException ex) {
        if (ex.getCause() != null) {
            // Not the orderly refusal of a closed intake: something failed under an admitted request
            logger.warn("Refused a request with 503: " + ex.getCause(), ex.getCause());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER)
                .body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalid(IllegalArgumentException ex) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage()));
    }
}
