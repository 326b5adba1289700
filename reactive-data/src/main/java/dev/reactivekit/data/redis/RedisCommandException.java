package dev.reactivekit.data.redis;

import dev.reactivekit.core.PermanentException;

/**
 * Redis refused a command: the server answered with an error reply ({@code ERR}, {@code NOSCRIPT}, {@code BUSYGROUP},
 * ...). Permanent: sending the same command again gets the same answer. The message names the command and its
 * key, never the value, for example {@code "Redis INCR user:1 failed: ERR value is not an integer or out of range"}.
 *
 * @see RedisWrongTypeException
 */
public class RedisCommandException extends PermanentException {

    private static final long serialVersionUID = 1L;

    private final String command;
    private final String key;
    private final String errorCode;

    RedisCommandException(String command, String key, String errorCode, String detail, Throwable cause) {
        super(RedisErrorMessages.describe(command, key, detail), cause);
        this.command = command;
        this.key = key;
        this.errorCode = errorCode;
    }

    /** The command, for example {@code "GET"}. */
    public String command() {
        return command;
    }

    /** The key it was sent for, or {@code null} for commands without one. */
    public String key() {
        return key;
    }

    /** The first word of the server's error reply ({@code "ERR"}, {@code "WRONGTYPE"}, ...); empty if none. */
    public String errorCode() {
        return errorCode;
    }
}
