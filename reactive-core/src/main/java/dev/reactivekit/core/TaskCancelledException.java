package dev.reactivekit.core;

import java.util.concurrent.CancellationException;

/**
 * The result of a {@link Task} that was cancelled before it finished (asyncio's {@code CancelledError}).
 * Raised by {@link Task#join()} of a cancelled task and recorded as the {@link Outcome.Failure} of tasks that
 * {@link Tasks#firstFailure} cancelled.
 */
public final class TaskCancelledException extends CancellationException {

    private static final long serialVersionUID = 1L;

    public TaskCancelledException(String message) {
        super(message);
    }
}
