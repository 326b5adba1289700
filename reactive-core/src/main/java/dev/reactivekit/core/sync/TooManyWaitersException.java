package dev.reactivekit.core.sync;

import dev.reactivekit.core.TransientException;

/**
 * An {@link AsyncSemaphore} or {@link AsyncLock} refused a new waiter because its wait queue was full. The
 * message names the limit. Transient: the queue drains as permits are released.
 */
public final class TooManyWaitersException extends TransientException {

    private static final long serialVersionUID = 1L;

    public TooManyWaitersException(String message) {
        super(message);
    }
}
