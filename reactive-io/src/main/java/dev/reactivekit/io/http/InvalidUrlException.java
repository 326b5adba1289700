package dev.reactivekit.io.http;

import dev.reactivekit.core.PermanentException;

/** A URL could not be used: malformed, relative, or with a scheme other than http and https. Names the URL. */
public final class InvalidUrlException extends PermanentException {

    private static final long serialVersionUID = 1L;

    public InvalidUrlException(String message, Throwable cause) {
        super(message, cause);
    }
}
