package dev.reactivekit.core;

/**
 * A remote peer answered with an error status: HTTP-style codes, where 4xx means the request was wrong and
 * 5xx that the server failed. reactive-io's {@code HttpStatusException} extends this class, so the core's
 * {@link Failures} can classify statuses without knowing HTTP clients:
 * 5xx (except 501 and 505), 408 and 429 are transient; every other status is permanent.
 */
public class StatusException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public StatusException(String message, int status) {
        super(message);
        this.status = status;
    }

    public StatusException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The status code the peer answered with, for example 503. */
    public int status() {
        return status;
    }
}
