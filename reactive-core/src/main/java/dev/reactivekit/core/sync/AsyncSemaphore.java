package dev.reactivekit.core.sync;

import dev.reactivekit.core.internal.Checks;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A counting semaphore whose waiters wait without blocking a thread (asyncio's {@code Semaphore}).
 *
 * <pre>{@code
 * AsyncSemaphore sem = AsyncSemaphore.of(5);                 // at most 5 fetches at once
 * Flux.fromIterable(urls).flatMap(u -> sem.withPermit(http.get(u)), 256);
 * }</pre>
 *
 * <ul>
 *   <li><b>FIFO-fair</b>: permits go to waiters in the order they started waiting; a new acquirer never
 *       overtakes a waiting one.</li>
 *   <li><b>Cancellation-safe</b>: a waiter cancelled before it was granted never takes a permit; one cancelled
 *       after the grant but before it saw the permit gives it straight back. {@link #withPermit} releases on
 *       completion, error and cancellation, once.</li>
 *   <li><b>Bounded</b>: at most {@code maxWaiters} acquirers may wait (default: unbounded,
 *       {@link Integer#MAX_VALUE}); beyond that {@link #acquire()} fails at once with
 *       {@link TooManyWaitersException}.</li>
 * </ul>
 * Thread-safe. Permits are handed out as {@link Permit} objects whose release is idempotent, so the
 * semaphore can never hold more than its initial number of permits.
 */
public final class AsyncSemaphore {

    /** Default bound on the number of waiting acquirers: none. */
    public static final int DEFAULT_MAX_WAITERS = Integer.MAX_VALUE;

    private final int permits;
    private final int maxWaiters;
    private final Object lock = new Object();
    private final ArrayDeque<Grantee> waiters = new ArrayDeque<>();
    private int available;
    private int cancelledWaiters;

    private AsyncSemaphore(int permits, int maxWaiters) {
        this.permits = permits;
        this.maxWaiters = maxWaiters;
        this.available = permits;
    }

    /** A semaphore with {@code permits} permits (> 0) and an unbounded wait queue. */
    public static AsyncSemaphore of(int permits) {
        return of(permits, DEFAULT_MAX_WAITERS);
    }

    /** A semaphore with {@code permits} permits (> 0) and at most {@code maxWaiters} (>= 0) waiters. */
    public static AsyncSemaphore of(int permits, int maxWaiters) {
        return new AsyncSemaphore(Checks.positive(permits, "permits"), Checks.notNegative(maxWaiters, "maxWaiters"));
    }

    /**
     * Waits for a permit. The returned {@code Mono} is lazy: nothing happens until it is subscribed, and each
     * subscription acquires one permit. It emits the {@link Permit}, which the caller must
     * {@link Permit#release() release}; or errors with {@link TooManyWaitersException} when the wait queue
     * is full. Cancelling it while it waits removes the waiter.
     */
    public Mono<Permit> acquire() {
        return new AcquireMono(this);
    }

    /** Takes a permit if one is free and nobody is waiting; never waits. */
    public Optional<Permit> tryAcquire() {
        synchronized (lock) {
            if (available > 0 && liveWaiters() == 0) {
                available--;
                return Optional.of(new Permit(this));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code work} while holding a permit (asyncio's {@code async with sem:}). The permit is taken when
     * the result is subscribed and released when {@code work} completes, fails or is cancelled, before the
     * result's own completion is signalled.
     */
    public <T> Mono<T> withPermit(Mono<T> work) {
        return new WithPermit.OnMono<>(Checks.notNull(work, "work"), this);
    }

    /** Streams {@code work} while holding a permit, released when the stream ends or is cancelled. */
    public <T> Flux<T> withPermit(Flux<T> work) {
        return new WithPermit.OnFlux<>(Checks.notNull(work, "work"), this);
    }

    /** Permits currently free. */
    public int availablePermits() {
        synchronized (lock) {
            return available;
        }
    }

    /** Acquirers currently waiting. */
    public int waiting() {
        synchronized (lock) {
            return liveWaiters();
        }
    }

    /** The number of permits this semaphore was created with. */
    public int permits() {
        return permits;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "AsyncSemaphore[permits=" + permits + ", available=" + available + ", waiting=" + liveWaiters() + "]";
        }
    }

    private int liveWaiters() {
        return waiters.size() - cancelledWaiters;
    }

    /** Called once per permit by {@link Permit#release()}: hand it to the oldest live waiter, or keep it. */
    void releaseOne() {
        Grantee next;
        synchronized (lock) {
            while ((next = waiters.poll()) != null && dequeued(next)) {
                // skip waiters that were cancelled while queued
            }
            if (next == null) {
                available++;
                return;
            }
        }
        // Outside the lock: granting runs the waiter's downstream code. If the waiter was cancelled in the
        // meantime, it gives the permit straight back, which moves on to the next waiter.
        next.grant();
    }

    /** Grants {@code w} a permit at once if one is free and nobody waits, else queues it (or rejects it). */
    void enqueue(Grantee w) {
        boolean grant = false;
        boolean reject = false;
        synchronized (lock) {
            if (w.isCancelled()) {
                return;
            }
            if (available > 0 && liveWaiters() == 0) {
                available--;
                grant = true;
            } else if (liveWaiters() >= maxWaiters) {
                reject = true;
            } else {
                waiters.add(w);
                w.place(Grantee.QUEUED);
            }
        }
        if (grant) {
            w.grant();
        } else if (reject) {
            w.reject(new TooManyWaitersException("semaphore wait queue is full: " + maxWaiters
                    + " acquirers already waiting for " + permits + " permit(s) (maxWaiters=" + maxWaiters + ")"));
        }
    }

    /** Marks {@code w} as out of the queue; returns whether it had been cancelled. Under the lock. */
    private boolean dequeued(Grantee w) {
        if (w.place() == Grantee.QUEUED_CANCELLED) {
            cancelledWaiters--;
        }
        w.place(Grantee.NOT_QUEUED);
        return w.isCancelled();
    }

    /** A waiter was cancelled: count it as dead while it is still in the queue. */
    void cancelled(Grantee w) {
        synchronized (lock) {
            if (w.place() != Grantee.QUEUED) {
                return;
            }
            w.place(Grantee.QUEUED_CANCELLED);
            cancelledWaiters++;
            // Compact lazily so that a long wait with many timed-out acquirers does not accumulate dead waiters.
            if (cancelledWaiters > 32 && cancelledWaiters > waiters.size() / 2) {
                waiters.removeIf(this::dequeued);
            }
        }
    }

    private static final class AcquireMono extends Mono<Permit> {
        private final AsyncSemaphore semaphore;

        AcquireMono(AsyncSemaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public void subscribe(CoreSubscriber<? super Permit> actual) {
            Waiter w = new Waiter(actual, semaphore);
            actual.onSubscribe(w);
            semaphore.enqueue(w);
        }
    }

    /**
     * One {@code acquire()}, emitting a {@link Permit}. Reactor's MonoSubscriber arbitrates between the grant,
     * the request and a cancellation.
     */
    private static final class Waiter extends Operators.MonoSubscriber<Permit, Permit> implements Grantee {
        private static final AtomicIntegerFieldUpdater<Waiter> DISCARDED =
                AtomicIntegerFieldUpdater.newUpdater(Waiter.class, "discarded");

        private final AsyncSemaphore semaphore;
        private volatile int discarded;
        private int place;

        Waiter(CoreSubscriber<? super Permit> actual, AsyncSemaphore semaphore) {
            super(actual);
            this.semaphore = semaphore;
        }

        @Override
        public void grant() {
            complete(new Permit(semaphore));
        }

        @Override
        public void reject(Throwable error) {
            if (!isCancelled()) {
                actual.onError(error);
            }
        }

        @Override
        public int place() {
            return place;
        }

        @Override
        public void place(int place) {
            this.place = place;
        }

        @Override
        public void cancel() {
            super.cancel();
            semaphore.cancelled(this);
        }

        @Override
        protected void discard(Permit permit) {
            // MonoSubscriber may discard the same value twice when a cancel races the grant: release once.
            if (permit != null && DISCARDED.compareAndSet(this, 0, 1)) {
                permit.release();
            }
        }
    }
}
