package dev.reactivekit.io.http;

import dev.reactivekit.core.PermanentException;

/**
 * A body could not be read as what was asked for: not JSON, or JSON of another shape. Names the URL and the
 * type; the cause is Jackson's error. Permanent: the same body fails again.
 */
public final class InvalidBodyException extends PermanentException {

    private static final long serialVersionUID = 1L;

    InvalidBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
