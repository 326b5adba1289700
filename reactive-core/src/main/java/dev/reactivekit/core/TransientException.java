package dev.reactivekit.core;

/**
 * A failure that may go away if the same operation is tried again: a timeout, a dropped connection, an
 * overloaded server. {@link RetryPolicy} retries these by default.
 */
public class TransientException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    public TransientException(String message) {
        super(message);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
