package dev.reactivekit.core;

import dev.reactivekit.core.internal.Durations;
import java.time.Duration;

/**
 * No pooled resource (connection, permit) became free within the acquire timeout, or too many callers were
 * already waiting. The message names the pool, its size and the wait, for example
 * {@code "http pool for 127.0.0.1:8080: no connection free within 5s (pool size 50)"}. Transient: the pool
 * frees up as work completes.
 */
public final class PoolTimeoutException extends TransientException {

    private static final long serialVersionUID = 1L;

    private final int poolSize;
    private final Duration waited;

    public PoolTimeoutException(String pool, int poolSize, Duration waited, Throwable cause) {
        super(pool + ": nothing free within " + Durations.format(waited) + " (pool size " + poolSize + ")", cause);
        this.poolSize = poolSize;
        this.waited = waited;
    }

    public PoolTimeoutException(String message, int poolSize, Throwable cause) {
        super(message, cause);
        this.poolSize = poolSize;
        this.waited = Duration.ZERO;
    }

    /** How many resources the pool holds at most. */
    public int poolSize() {
        return poolSize;
    }

    /** How long the caller waited; zero when refused at once because too many were waiting. */
    public Duration waited() {
        return waited;
    }
}
