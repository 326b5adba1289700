package dev.reactivekit.core.sync;

import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.core.internal.Durations;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A counting semaphore whose waiters wait without blocking a thread (asyncio's {@code Semaphore}).
 *
 * <pre>{@code
 * AsyncSemaphore sem = AsyncSemaphore.of(5);                 // at most 5 fetches at once
 * Flux.fromIterable(urls).flatMap(u -> sem.withPermit(http.get(u)), 256);
 * AsyncSemaphore patient = AsyncSemaphore.builder(5).maxWaiters(100).maxWait(Duration.ofMinutes(1)).build();
 * }</pre>
 *
 * <ul>
 *   <li><b>FIFO-fair</b>: permits go to waiters in the order they started waiting; a new acquirer never
 *       overtakes a waiting one.</li>
 *   <li><b>Bounded</b>: at most {@link Builder#maxWaiters maxWaiters} acquirers wait (default
 *       {@value #DEFAULT_MAX_WAITERS}); beyond that a new one fails at once with {@link TooManyWaitersException}.
 *       A waiter waits at most {@link Builder#maxWait maxWait} (default 30 s), then fails with
 *       {@link PoolTimeoutException}. Both errors name the semaphore and the setting.</li>
 *   <li><b>Cancellation-safe</b>: a waiter cancelled before it was granted never takes a permit; one cancelled
 *       after the grant but before it saw the permit gives it straight back. {@link #withPermit} releases on
 *       completion, error and cancellation, once.</li>
 * </ul>
 *
 * <h2>When a cancelled {@code withPermit} body gives its permit back</h2>
 * As with asyncio, where the permit is released only once the body has stopped, a cancelled body's permit goes
 * back only after (1) the body's subscription call has returned, so its synchronous start (a
 * {@code Mono.fromCallable}, say), running on the thread that granted the permit, is over, and (2) the body has
 * been cancelled, so its cancellation handlers have run and it emits nothing more. What no Reactor operator can
 * see is work the body handed to another thread that ignores cancellation (a blocking call already running on an
 * offload thread): such work may still be finishing when the next holder starts. Keep what must be exclusive
 * inside the body's own signals, or make it stop on interrupt.
 * <p>
 * Thread-safe. Permits are handed out as {@link Permit} objects whose release is idempotent, so the semaphore
 * can never hold more than its initial number of permits.
 */
public final class AsyncSemaphore {

    /** Default bound on the number of waiting acquirers. */
    public static final int DEFAULT_MAX_WAITERS = 10_000;
    /** Default longest wait for a permit: 30 seconds. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

    private final int permits;
    private final int maxWaiters;
    private final Duration maxWait;
    private final Scheduler timer;
    private final String name;
    private final Object lock = new Object();
    private final ArrayDeque<Grantee> waiters = new ArrayDeque<>();
    private int available;
    private int deadWaiters;

    private AsyncSemaphore(Builder b) {
        this.permits = b.permits;
        this.maxWaiters = b.maxWaiters;
        this.maxWait = b.maxWait;
        this.timer = b.timer;
        this.name = b.name;
        this.available = permits;
    }

    /** A semaphore with {@code permits} permits (> 0) and the default wait bounds. */
    public static AsyncSemaphore of(int permits) {
        return builder(permits).build();
    }

    /** A semaphore with {@code permits} permits (> 0), at most {@code maxWaiters} (>= 0) waiters, default wait. */
    public static AsyncSemaphore of(int permits, int maxWaiters) {
        return builder(permits).maxWaiters(maxWaiters).build();
    }

    /** A builder for a semaphore with {@code permits} permits (> 0). */
    public static Builder builder(int permits) {
        return new Builder(Checks.positive(permits, "permits"));
    }

    /**
     * Waits for a permit. The returned {@code Mono} is lazy: nothing happens until it is subscribed, and each
     * subscription acquires one permit. It emits the {@link Permit}, which the caller must
     * {@link Permit#release() release}; or errors with {@link TooManyWaitersException} when the wait queue
     * is full, or with {@link PoolTimeoutException} after waiting {@link Builder#maxWait maxWait}. Cancelling it
     * while it waits removes the waiter.
     */
    public Mono<Permit> acquire() {
        return new AcquireMono(this, null);
    }

    /**
     * As {@link #acquire()}, waiting at most {@code maxWait} (> 0) instead of the semaphore's
     * {@link Builder#maxWait maxWait} (asyncio's {@code wait_for(sem.acquire(), timeout)}): then it fails with a
     * {@link PoolTimeoutException}. As with every wait here, a timer runs only while the acquirer actually waits.
     */
    public Mono<Permit> acquire(Duration maxWait) {
        return new AcquireMono(this, Checks.positive(maxWait, "maxWait"));
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

    /** The most acquirers that may wait at once. */
    public int maxWaiters() {
        return maxWaiters;
    }

    /** The longest an acquirer waits, or {@code null} for no limit. */
    public Duration maxWait() {
        return maxWait;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "AsyncSemaphore[permits=" + permits + ", available=" + available + ", waiting=" + liveWaiters() + "]";
        }
    }

    private int liveWaiters() {
        return waiters.size() - deadWaiters;
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
        Trampoline.grant(next);
    }

    /**
     * Grants on the releasing thread without growing its stack: a body that completes synchronously releases
     * inside its own grant, which would grant the next waiter inside that, and so on through the whole queue
     * (a StackOverflowError that loses the permit). A grant made while this thread is already granting waits in
     * the thread's list and runs when the outer grant has returned.
     */
    private static final class Trampoline {
        private static final ThreadLocal<Trampoline> CURRENT = ThreadLocal.withInitial(Trampoline::new);

        private final ArrayDeque<Grantee> deferred = new ArrayDeque<>();
        private boolean granting;

        static void grant(Grantee first) {
            Trampoline t = CURRENT.get();
            if (t.granting) {
                t.deferred.add(first);
                return;
            }
            t.granting = true;
            try {
                for (Grantee g = first; g != null; g = t.deferred.poll()) {
                    g.grant();
                }
            } finally {
                t.granting = false;
            }
        }
    }

    /** Grants {@code w} a permit at once if one is free and nobody waits, else queues it (or rejects it). */
    void enqueue(Grantee w) {
        boolean grant = false;
        boolean reject = false;
        int waiting = 0;
        synchronized (lock) {
            if (w.isCancelled()) {
                return;
            }
            if (available > 0 && liveWaiters() == 0) {
                available--;
                grant = true;
            } else if (liveWaiters() >= maxWaiters) {
                reject = true;
                waiting = liveWaiters();
            } else {
                waiters.add(w);
                w.place(Grantee.QUEUED);
                Duration wait = w.maxWait() != null ? w.maxWait() : maxWait;
                if (wait != null) {
                    Scheduler clock = timer != null ? timer : Schedulers.parallel();
                    w.timer(clock.schedule(() -> timedOut(w, wait), wait.toNanos(), TimeUnit.NANOSECONDS));
                }
            }
        }
        if (grant) {
            w.grant();
        } else if (reject) {
            w.reject(new TooManyWaitersException(name + ": wait queue is full: " + waiting
                    + " acquirers already waiting for " + permits + " permit(s) (maxWaiters " + maxWaiters + ")",
                    maxWaiters));
        }
    }

    /** Marks {@code w} as out of the queue; returns whether it was dead (cancelled or timed out). Under the lock. */
    private boolean dequeued(Grantee w) {
        boolean dead = w.place() == Grantee.QUEUED_DEAD;
        if (dead) {
            deadWaiters--;
        }
        w.place(Grantee.NOT_QUEUED);
        stopTimer(w);
        return dead || w.isCancelled();
    }

    /** A waiter was cancelled: count it as dead while it is still in the queue. */
    void cancelled(Grantee w) {
        synchronized (lock) {
            if (!markDead(w)) {
                return;
            }
        }
        stopTimer(w);
    }

    /** A waiter waited {@code maxWait}: unless it was granted meanwhile, it leaves the queue and fails. */
    private void timedOut(Grantee w, Duration waited) {
        synchronized (lock) {
            if (!markDead(w)) {
                return;
            }
        }
        w.reject(new PoolTimeoutException(name + ": no permit free within " + Durations.format(waited) + ", "
                + permits + " permit(s) in use (maxWait " + Durations.format(waited) + ")", permits, waited, null));
    }

    /** Under the lock: marks a queued waiter dead, compacting the queue lazily; false if it was not queued. */
    private boolean markDead(Grantee w) {
        if (w.place() != Grantee.QUEUED) {
            return false;
        }
        w.place(Grantee.QUEUED_DEAD);
        deadWaiters++;
        // Compact lazily so that a long wait with many timed-out acquirers does not accumulate dead waiters.
        if (deadWaiters > 32 && deadWaiters > waiters.size() / 2) {
            waiters.removeIf(this::removeIfDead);
        }
        return true;
    }

    /** Under the lock, for compaction: takes a dead waiter out of the queue; live ones stay as they are. */
    private boolean removeIfDead(Grantee w) {
        if (w.place() != Grantee.QUEUED_DEAD) {
            return false;
        }
        deadWaiters--;
        w.place(Grantee.NOT_QUEUED);
        stopTimer(w);
        return true;
    }

    private static void stopTimer(Grantee w) {
        Disposable t = w.timer();
        if (t != null) {
            t.dispose();
        }
    }

    private static final class AcquireMono extends Mono<Permit> {
        private final AsyncSemaphore semaphore;
        private final Duration maxWait;

        AcquireMono(AsyncSemaphore semaphore, Duration maxWait) {
            this.semaphore = semaphore;
            this.maxWait = maxWait;
        }

        @Override
        public void subscribe(CoreSubscriber<? super Permit> actual) {
            Waiter w = new Waiter(actual, semaphore, maxWait);
            actual.onSubscribe(w);
            semaphore.enqueue(w);
        }
    }

    /**
     * One {@code acquire()}, emitting a {@link Permit}. {@link Handoff} decides, once, whether the permit reaches
     * the subscriber or is released because the subscriber cancelled.
     */
    private static final class Waiter extends Handoff<Permit> implements Grantee {
        private final AsyncSemaphore semaphore;
        private final Duration maxWait;
        private int place;
        private Disposable timer;

        Waiter(CoreSubscriber<? super Permit> actual, AsyncSemaphore semaphore, Duration maxWait) {
            super(actual);
            this.semaphore = semaphore;
            this.maxWait = maxWait;
        }

        @Override
        public Duration maxWait() {
            return maxWait;
        }

        @Override
        public void grant() {
            deliver(new Permit(semaphore));
        }

        @Override
        public void reject(Throwable error) {
            fail(error);
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
        public Disposable timer() {
            return timer;
        }

        @Override
        public void timer(Disposable timer) {
            this.timer = timer;
        }

        @Override
        protected void onCancel() {
            semaphore.cancelled(this);
        }

        @Override
        protected void giveBack(Permit permit) {
            permit.release();
        }
    }

    /** Builds an {@link AsyncSemaphore}; every setting but the permits has a {@code DEFAULT_*}. */
    public static final class Builder {
        private final int permits;
        private int maxWaiters = DEFAULT_MAX_WAITERS;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private Scheduler timer;
        private String name = "semaphore";

        private Builder(int permits) {
            this.permits = permits;
        }

        /** Acquirers that may wait at once (>= 0; default {@value #DEFAULT_MAX_WAITERS}); more fail at once. */
        public Builder maxWaiters(int maxWaiters) {
            this.maxWaiters = Checks.notNegative(maxWaiters, "maxWaiters");
            return this;
        }

        /**
         * The longest an acquirer waits (> 0; default 30 s), after which it fails with a
         * {@link PoolTimeoutException}; {@code null} to wait as long as it takes (then bound the wait yourself,
         * with a {@link dev.reactivekit.core.Policy} timeout or a {@link dev.reactivekit.core.Deadline}).
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait == null ? null : Checks.positive(maxWait, "maxWait");
            return this;
        }

        /** The scheduler whose timer ends long waits; {@code null} (the default) for Reactor's parallel one. */
        public Builder scheduler(Scheduler scheduler) {
            this.timer = scheduler;
            return this;
        }

        /** The semaphore's name in error messages (default {@code "semaphore"}). */
        public Builder name(String name) {
            this.name = Checks.notNull(name, "name");
            return this;
        }

        public AsyncSemaphore build() {
            return new AsyncSemaphore(this);
        }
    }
}
