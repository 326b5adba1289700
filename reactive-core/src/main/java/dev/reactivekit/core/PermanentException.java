package dev.reactivekit.core;

/**
 * A failure that trying again will not fix: invalid input, a missing resource, a refused permission.
 * {@link RetryPolicy} never retries these by default.
 */
public class PermanentException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    public PermanentException(String message) {
        super(message);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }
}
