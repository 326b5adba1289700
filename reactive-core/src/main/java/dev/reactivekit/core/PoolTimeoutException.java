package dev.reactivekit.core;

import java.time.Duration;

/**
 * Nothing in a bounded pool (connections, permits) became free within its wait limit, or too many callers were
 * already waiting for one. The message names the pool and the limit that was crossed, with the setting that
 * defines it, for example {@code "GET http://127.0.0.1:8080/x: no connection free within 5s: 100 connections
 * in use in all (maxConnections; maxWait 5s)"}. Transient: the pool frees up as work completes.
 */
public final class PoolTimeoutException extends TransientException {

    private static final long serialVersionUID = 1L;

    private final int poolSize;
    private final Duration waited;

    /**
     * @param message  what was waited for, which limit was crossed and its setting, for people
     * @param poolSize how many resources the pool holds at most
     * @param waited   how long the caller waited; zero when refused at once because too many were waiting
     */
    public PoolTimeoutException(String message, int poolSize, Duration waited, Throwable cause) {
        super(message, cause);
        this.poolSize = poolSize;
        this.waited = waited;
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
