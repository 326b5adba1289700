package dev.reactivekit.core;

import dev.reactivekit.core.internal.Durations;
import java.time.Duration;

/**
 * One attempt of an operation took longer than its per-attempt timeout (asyncio's {@code wait_for}).
 * Transient: the next attempt may be faster. The message names the operation and the limit, for example
 * {@code "GET http://127.0.0.1:8080/slow timed out after 2s"}; the cause is Reactor's
 * {@link java.util.concurrent.TimeoutException}.
 *
 * @see Timeouts
 */
public final class OperationTimeoutException extends TransientException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final Duration limit;

    public OperationTimeoutException(String operation, Duration limit, Throwable cause) {
        super(operation + " timed out after " + Durations.format(limit), cause);
        this.operation = operation;
        this.limit = limit;
    }

    /** The operation that timed out, as named by the caller ({@code "operation"} when unnamed). */
    public String operation() {
        return operation;
    }

    /** The per-attempt limit that fired. */
    public Duration limit() {
        return limit;
    }
}
