package dev.reactivekit.data.redis;

/**
 * A command was used on a key holding another type ({@code WRONGTYPE}): {@code HGET} on a string, {@code LPUSH} on a
 * hash. The key is in the message and in {@link #key()}.
 */
public final class RedisWrongTypeException extends RedisCommandException {

    private static final long serialVersionUID = 1L;

    RedisWrongTypeException(String command, String key, String detail, Throwable cause) {
        super(command, key, "WRONGTYPE", detail, cause);
    }
}
