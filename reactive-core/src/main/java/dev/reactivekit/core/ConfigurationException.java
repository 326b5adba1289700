package dev.reactivekit.core;

/**
 * A client was configured in a way the other side cannot serve: a malformed or unsupported URL, a database or
 * database index that does not exist, a feature the backend lacks (LISTEN on MariaDB), unusable TLS settings.
 * Permanent on every backend: the same configuration fails again, so no policy retries it. The message names
 * the setting or URL (passwords masked).
 */
public class ConfigurationException extends PermanentException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
