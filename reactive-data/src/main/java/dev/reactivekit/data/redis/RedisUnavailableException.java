package dev.reactivekit.data.redis;

import dev.reactivekit.core.TransientException;

/**
 * The server could not be reached, or the connection dropped before the reply came: refused, reset, or
 * reconnecting (commands are rejected at once while disconnected, never buffered). Transient: a retry after
 * the reconnect may succeed, so a {@link dev.reactivekit.core.Policy} retries it for idempotent reads. A write
 * that failed this way may or may not have been applied.
 */
public final class RedisUnavailableException extends TransientException {

    private static final long serialVersionUID = 1L;

    private final String command;
    private final String key;

    RedisUnavailableException(String command, String key, String detail, Throwable cause) {
        super(RedisErrorMessages.describe(command, key, detail), cause);
        this.command = command;
        this.key = key;
    }

    /** The command that could not be run, or {@code "CONNECT"} when connecting failed. */
    public String command() {
        return command;
    }

    /** Its key, or {@code null}. */
    public String key() {
        return key;
    }
}
