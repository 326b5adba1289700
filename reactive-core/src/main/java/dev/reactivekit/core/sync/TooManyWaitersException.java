package dev.reactivekit.core.sync;

import dev.reactivekit.core.TransientException;

/**
 * A bounded wait queue ({@link AsyncSemaphore}, {@link AsyncLock}, {@link AsyncQueue}) refused a new waiter
 * because {@link #maxWaiters()} were already waiting. The message names the queue and the limit. Transient: the
 * queue drains as permits or items move.
 */
public final class TooManyWaitersException extends TransientException {

    private static final long serialVersionUID = 1L;

    private final int maxWaiters;

    public TooManyWaitersException(String message, int maxWaiters) {
        super(message);
        this.maxWaiters = maxWaiters;
    }

    /** The bound that was reached. */
    public int maxWaiters() {
        return maxWaiters;
    }
}
