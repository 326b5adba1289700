package dev.reactivekit.core;

import dev.reactivekit.core.internal.Errors;

/**
 * Every attempt allowed by a {@link RetryPolicy} failed with a retryable error. The message says how many
 * attempts were made and what the last one failed with, for example
 * {@code "GET /flaky failed after 4 attempts: HTTP 503"}; {@link #getCause()} is the last failure, and
 * {@link #attempts()} the number of attempts (the first call plus the retries).
 */
public final class RetriesExhaustedException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    public RetriesExhaustedException(String operation, int attempts, Throwable lastFailure) {
        super(operation + " failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ")
                + Errors.describe(lastFailure), lastFailure);
        this.attempts = attempts;
    }

    /** Number of attempts made, first call included. */
    public int attempts() {
        return attempts;
    }
}
