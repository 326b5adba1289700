package dev.reactivekit.core.sync;

import dev.reactivekit.core.ReactiveKitException;

/**
 * An item was offered to an {@link AsyncQueue} that had been closed (asyncio's {@code QueueShutDown}); the
 * item was not accepted. Offers that were waiting for room when the queue closed fail with it too.
 */
public final class QueueClosedException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    public QueueClosedException(String message) {
        super(message);
    }
}
