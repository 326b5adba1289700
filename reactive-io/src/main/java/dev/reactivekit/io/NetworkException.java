package dev.reactivekit.io;

import dev.reactivekit.core.TransientException;

/**
 * A network operation failed in a way that may not happen again: the connection was refused, reset, or closed
 * before the answer was complete. The message names the operation (for example {@code GET http://...}) and
 * what happened; the cause is the underlying error. Retried by default policies.
 */
public final class NetworkException extends TransientException {

    private static final long serialVersionUID = 1L;

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
