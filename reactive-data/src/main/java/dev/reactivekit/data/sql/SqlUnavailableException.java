package dev.reactivekit.data.sql;

import dev.reactivekit.core.TransientException;

/**
 * The database could not be reached, or the connection broke mid-statement (server restarted, backend
 * terminated). Transient: a later attempt on a fresh connection may succeed.
 */
public final class SqlUnavailableException extends TransientException {

    private static final long serialVersionUID = 1L;

    SqlUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
