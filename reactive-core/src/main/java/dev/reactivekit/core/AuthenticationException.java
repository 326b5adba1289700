package dev.reactivekit.core;

/**
 * The server refused the credentials: a wrong password, an unknown user, a user without the right to connect.
 * Permanent and typed the same on every backend (PostgreSQL, MariaDB, Redis), so no policy retries it. The
 * message names the server and user, never the password.
 */
public final class AuthenticationException extends ConfigurationException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
