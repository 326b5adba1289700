package dev.reactivekit.data.redis;

import dev.reactivekit.core.TransientException;
import java.util.List;

/**
 * A {@link RedisStore#watch watched} transaction was not applied: one of its watched keys changed between
 * {@code WATCH} and {@code EXEC}. Nothing of it ran. Transient: subscribing again reads the keys again and
 * retries, for example with {@code retryWhen(Retry.max(5).filter(RedisTransactionAbortedException.class::isInstance))}.
 */
public final class RedisTransactionAbortedException extends TransientException {

    private static final long serialVersionUID = 1L;

    private final List<String> keys;

    RedisTransactionAbortedException(List<String> keys) {
        super("Redis EXEC: a watched key (" + RedisErrorMessages.shorten(String.join(" ", keys))
                + ") changed after WATCH; nothing was applied", null);
        this.keys = List.copyOf(keys);
    }

    /** The keys the transaction watched. */
    public List<String> keys() {
        return keys;
    }
}
