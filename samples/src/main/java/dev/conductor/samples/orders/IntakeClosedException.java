package dev.conductor.samples.orders;

/** A request arrived while {@link WebApi} was not taking any: before its setup or after its shutdown began. */
class IntakeClosedException extends ServiceUnavailableException {

    IntakeClosedException(String message) {
        super(message);
    }
}
