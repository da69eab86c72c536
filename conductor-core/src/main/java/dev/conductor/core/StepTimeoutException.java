package dev.conductor.core;

import java.util.concurrent.TimeoutException;

/** A setup or shutdown passed its timeout: thrown by nobody, recorded as the failure's cause. */
final class StepTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    StepTimeoutException(String message) {
        super(message);
    }
}
