package dev.reactivekit.io.http;

import dev.reactivekit.core.PermanentException;

/**
 * {@link HttpFetcher#downloadInto} was given a file name (by the server's {@code Content-Disposition}, or by the
 * URL's last path segment) that is not a plain file name: it has a directory in it ({@code ../}, {@code /etc/x},
 * {@code a\b}), NUL or control characters, or is a name the file system reserves ({@code .}, {@code ..},
 * {@code CON}, {@code NUL}...). Nothing was written. Names the request and the name.
 */
public final class UnsafeFileNameException extends PermanentException {

    private static final long serialVersionUID = 1L;

    private final String name;

    UnsafeFileNameException(String message, String name) {
        super(message);
        this.name = name;
    }

    /** The name as the server or the URL gave it. */
    public String name() {
        return name;
    }
}
