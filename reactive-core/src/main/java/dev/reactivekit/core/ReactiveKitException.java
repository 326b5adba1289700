package dev.reactivekit.core;

/**
 * Root of ReactiveKit's error hierarchy. Every error the toolkit creates itself extends this class, carries
 * a message that names what went wrong (the operation, the limit, the input) and keeps its cause.
 * <p>
 * Two subclasses state whether an operation may be retried:
 * {@link TransientException} (the same call may succeed later: a timeout, a refused connection, HTTP 503)
 * and {@link PermanentException} (it will fail again: bad input, HTTP 404).
 * {@link Failures#isTransient(Throwable)} classifies any throwable, ours or the JDK's.
 */
public class ReactiveKitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReactiveKitException(String message) {
        super(message);
    }

    public ReactiveKitException(String message, Throwable cause) {
        super(message, cause);
    }
}
