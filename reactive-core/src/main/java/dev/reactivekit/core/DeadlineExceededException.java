package dev.reactivekit.core;

import dev.reactivekit.core.internal.Durations;
import java.time.Duration;

/**
 * The whole-operation {@link Deadline} ran out (asyncio's {@code asyncio.timeout} around a block). It bounds
 * every attempt, retry wait and inner call, so no retry is possible under the same deadline: this is neither
 * transient nor permanent, and {@link RetryPolicy} does not retry it by default.
 * The message names the operation and the budget, for example
 * {@code "fetch-all exceeded its deadline of 10s"}.
 */
public final class DeadlineExceededException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final Duration budget;

    public DeadlineExceededException(String operation, Duration budget, Throwable cause) {
        super(operation + " exceeded its deadline of " + Durations.format(budget), cause);
        this.operation = operation;
        this.budget = budget;
    }

    /** The operation that was running when the deadline expired. */
    public String operation() {
        return operation;
    }

    /** The total time the deadline allowed, measured from when it was set. */
    public Duration budget() {
        return budget;
    }
}
