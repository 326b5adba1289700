package dev.reactivekit.core.sync;

import dev.reactivekit.core.internal.Checks;
import java.time.Duration;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A mutual-exclusion lock whose waiters wait without blocking a thread (asyncio's {@code Lock}).
 * <p>
 * Mutual exclusion holds for the bodies' reactive execution: a body cancelled while it holds the lock keeps it
 * until its synchronous start has returned and its cancellation has been delivered (see {@link AsyncSemaphore}
 * for exactly what holds), so two bodies never run their signals at once.
 *
 * <pre>{@code
 * AsyncLock lock = new AsyncLock();
 * Mono<Void> append = lock.withLock(files.appendLine(log, line));   // one appender at a time
 * }</pre>
 *
 * Not reentrant: a pipeline that already holds the lock and asks for it again waits forever, as with asyncio.
 * FIFO-fair and cancellation-safe with the same guarantees as {@link AsyncSemaphore}, of which it is the
 * one-permit case.
 */
public final class AsyncLock {

    private final AsyncSemaphore semaphore;

    /**
     * A lock with the default wait bounds: at most {@value AsyncSemaphore#DEFAULT_MAX_WAITERS} waiters, each
     * waiting at most 30 s ({@link AsyncSemaphore#DEFAULT_MAX_WAIT}).
     */
    public AsyncLock() {
        this(AsyncSemaphore.DEFAULT_MAX_WAITERS, AsyncSemaphore.DEFAULT_MAX_WAIT);
    }

    /** A lock that refuses new waiters with {@link TooManyWaitersException} once {@code maxWaiters} wait. */
    public AsyncLock(int maxWaiters) {
        this(maxWaiters, AsyncSemaphore.DEFAULT_MAX_WAIT);
    }

    /**
     * A lock with at most {@code maxWaiters} waiters, each failing with a
     * {@link dev.reactivekit.core.PoolTimeoutException} after waiting {@code maxWait} ({@code null}: no limit).
     */
    public AsyncLock(int maxWaiters, Duration maxWait) {
        this.semaphore = AsyncSemaphore.builder(1).maxWaiters(maxWaiters).maxWait(maxWait).name("lock").build();
    }

    /** Waits for the lock and emits its {@link Permit}; releasing the permit unlocks. */
    public Mono<Permit> lock() {
        return semaphore.acquire();
    }

    /** Takes the lock if it is free and nobody waits for it; never waits. */
    public Optional<Permit> tryLock() {
        return semaphore.tryAcquire();
    }

    /** Runs {@code work} holding the lock; unlocks on completion, error and cancellation. */
    public <T> Mono<T> withLock(Mono<T> work) {
        return semaphore.withPermit(Checks.notNull(work, "work"));
    }

    /** Streams {@code work} holding the lock; unlocks when the stream ends or is cancelled. */
    public <T> Flux<T> withLock(Flux<T> work) {
        return semaphore.withPermit(Checks.notNull(work, "work"));
    }

    /** Whether someone holds the lock. */
    public boolean isLocked() {
        return semaphore.availablePermits() == 0;
    }

    /** Pipelines waiting for the lock. */
    public int waiting() {
        return semaphore.waiting();
    }

    @Override
    public String toString() {
        return "AsyncLock[" + (isLocked() ? "locked" : "unlocked") + ", waiting=" + waiting() + "]";
    }
}
