package dev.reactivekit.io.http;

import dev.reactivekit.core.StatusException;
import dev.reactivekit.core.internal.Checks;

/**
 * An error made for the reply: an {@link HttpService} handler that fails with it answers with its status and
 * message, as written (for example {@code new ResponseStatusException(404, "no user 42")}). It is the only error
 * whose status and message reach the client: any other error, an upstream {@link HttpStatusException} included,
 * is answered generically (502, 503 or 500) and logged, so an upstream's URL, query or body never leaks out.
 */
public class ResponseStatusException extends StatusException {

    private static final long serialVersionUID = 1L;

    /**
     * @param status  the status to answer with, 400 to 599
     * @param message the reply's body, for the client: say what was wrong with the request, nothing internal
     */
    public ResponseStatusException(int status, String message) {
        this(status, message, null);
    }

    public ResponseStatusException(int status, String message, Throwable cause) {
        super(Checks.notNull(message, "message"), Checks.between(status, 400, 599, "status"), cause);
    }
}
