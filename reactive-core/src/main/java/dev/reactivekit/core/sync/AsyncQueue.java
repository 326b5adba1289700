package dev.reactivekit.core.sync;

import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.internal.Checks;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A bounded first-in-first-out queue between producers and consumers that wait without blocking a thread
 * (asyncio's {@code Queue(maxsize)}).
 *
 * <pre>{@code
 * AsyncQueue<Job> queue = AsyncQueue.bounded(100);
 * Flux.fromIterable(jobs).concatMap(queue::offer).then(Mono.fromRunnable(queue::close)).subscribe();  // producer
 * queue.asFlux().flatMap(job -> handle(job).doFinally(s -> queue.taskDone()), 4).subscribe();     // consumers
 * queue.join().block();                                                             // every job handled
 * }</pre>
 *
 * <ul>
 *   <li>{@link #offer} waits while the queue is full (asyncio {@code put}); {@link #tryOffer} never waits.</li>
 *   <li>{@link #take} waits while it is empty (asyncio {@code get}); {@link #asFlux} consumes with
 *       backpressure, taking only as many items as its subscriber requested. Several consumers compete for
 *       items; each item goes to exactly one of them.</li>
 *   <li>{@link #taskDone} and {@link #join} count items put but not yet processed, as asyncio does.</li>
 *   <li>{@link #close} stops accepting items: waiting and later offers fail with
 *       {@link QueueClosedException}, and consumers complete once the remaining items are taken.</li>
 * </ul>
 * No item is lost or duplicated by cancellation: an offer cancelled before it was accepted adds nothing, and an
 * item handed to a consumer that was cancelled before seeing it goes back to the head of the queue. Waiters are
 * served in FIFO order. Thread-safe.
 *
 * <h2>Bounded waits</h2>
 * At most {@link Builder#maxWaiters maxWaiters} offers (default {@value #DEFAULT_MAX_WAITERS}) may wait for room,
 * and as many {@link #take()}s for an item; one more fails at once with {@link TooManyWaitersException}. Each
 * waiting offer or take waits at most {@link Builder#maxWait maxWait} (default 30 s), then fails with an
 * {@link OperationTimeoutException} naming the setting, having added or taken nothing. A {@link #asFlux()}
 * consumer is a stream, not a wait: it waits for items as long as it stays subscribed.
 *
 * @param <T> the item type; items must not be {@code null}
 */
public final class AsyncQueue<T> {

    /** Default bound on waiting offers, and separately on waiting takes. */
    public static final int DEFAULT_MAX_WAITERS = 10_000;
    /** Default longest wait of one offer or take: 30 seconds. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

    // Package-private for the waiters and operators (OfferMono, Putter, TakeMono, MonoTaker, ConsumerFlux,
    // FluxTaker), each in a file of its own, as reactor-core keeps its operators.
    final int capacity;
    final int maxWaiters;
    final Duration maxWait;
    final Scheduler timer;
    final Object lock = new Object();
    // All of the following are guarded by lock.
    final ArrayDeque<T> items = new ArrayDeque<>();
    final ArrayDeque<Putter<T>> putters = new ArrayDeque<>();
    final ArrayDeque<Taker<T>> takers = new ArrayDeque<>();
    final Set<FluxTaker<T>> consumers = new LinkedHashSet<>();
    int cancelledWaiters;
    long unfinished;
    Sinks.Empty<Void> joined;
    boolean closed;

    private AsyncQueue(Builder b) {
        this.capacity = b.capacity;
        this.maxWaiters = b.maxWaiters;
        this.maxWait = b.maxWait;
        this.timer = b.timer;
    }

    /** A queue that holds at most {@code capacity} (> 0) items, with the default wait bounds. */
    public static <T> AsyncQueue<T> bounded(int capacity) {
        return AsyncQueue.<T>builder(capacity).build();
    }

    /** A builder for a queue holding at most {@code capacity} (> 0) items. */
    public static Builder builder(int capacity) {
        return new Builder(Checks.positive(capacity, "capacity"));
    }

    /**
     * Adds {@code item}, waiting while the queue is full. Completes once the item is in the queue; errors with
     * {@link QueueClosedException} if the queue is (or gets) closed first, with {@link TooManyWaitersException}
     * when {@code maxWaiters} offers already wait, or with {@link OperationTimeoutException} after waiting
     * {@code maxWait} (the item is then not added). Lazy: nothing is added until subscription. Cancelling while
     * it waits withdraws the item.
     */
    public Mono<Void> offer(T item) {
        Checks.notNull(item, "item");
        return new OfferMono<>(this, item);
    }

    /**
     * Adds {@code item} if there is room now (asyncio {@code put_nowait}).
     *
     * @return {@code false} if the queue is full
     * @throws QueueClosedException if the queue is closed
     */
    public boolean tryOffer(T item) {
        Checks.notNull(item, "item");
        List<Runnable> actions = new ArrayList<>(2);
        synchronized (lock) {
            if (closed) {
                throw closedError();
            }
            // After every match(), room in the queue means no live offer is waiting: FIFO is respected.
            if (items.size() >= capacity) {
                return false;
            }
            accept(item);
            match(actions);
        }
        run(actions);
        return true;
    }

    /**
     * Takes the oldest item, waiting while the queue is empty. Completes empty once the queue is closed and
     * drained; errors with {@link TooManyWaitersException} when {@code maxWaiters} takes already wait, or with
     * {@link OperationTimeoutException} after waiting {@code maxWait}. Cancelling while it waits takes nothing.
     */
    public Mono<T> take() {
        return new TakeMono<>(this);
    }

    /** Takes the oldest item if there is one and no other consumer is waiting (asyncio {@code get_nowait}). */
    public Optional<T> poll() {
        List<Runnable> actions = new ArrayList<>(2);
        T item = null;
        synchronized (lock) {
            // After every match(), a non-empty queue means no live consumer is waiting.
            if (!items.isEmpty()) {
                item = items.poll();
                match(actions);
            }
        }
        run(actions);
        return Optional.ofNullable(item);
    }

    /**
     * The queue's items as a stream, taken as the subscriber requests them. Completes once the queue is closed
     * and drained. Cancelling hands back any item not yet delivered. Each subscription is one more consumer.
     */
    public Flux<T> asFlux() {
        return new ConsumerFlux<>(this);
    }

    /**
     * Marks one taken item as processed (asyncio {@code task_done}).
     *
     * @throws IllegalStateException if called more times than items were added
     */
    public void taskDone() {
        Sinks.Empty<Void> done = null;
        synchronized (lock) {
            if (unfinished == 0) {
                throw new IllegalStateException("taskDone() called more times than items were put in the queue");
            }
            if (--unfinished == 0) {
                done = joined;
                joined = null;
            }
        }
        if (done != null) {
            done.tryEmitEmpty();
        }
    }

    /**
     * Completes when every item added so far has been marked {@link #taskDone() done}; at once if none is
     * outstanding.
     */
    public Mono<Void> join() {
        return Mono.defer(() -> {
            synchronized (lock) {
                return unfinished == 0 ? Mono.<Void>empty() : joined.asMono();
            }
        });
    }

    /**
     * Closes the queue: no more items are accepted (waiting offers fail with {@link QueueClosedException}), and
     * consumers complete after taking what is left. Idempotent.
     */
    public void close() {
        List<Runnable> actions = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Putter<T> p; (p = putters.poll()) != null; ) {
                Putter<T> rejected = p;
                actions.add(() -> rejected.reject(closedError()));
            }
            match(actions);
        }
        run(actions);
    }

    /** Items in the queue now. */
    public int size() {
        synchronized (lock) {
            return items.size();
        }
    }

    /** The most items the queue holds. */
    public int capacity() {
        return capacity;
    }

    /** Items added and not yet marked {@link #taskDone() done}. */
    public long unfinishedTasks() {
        synchronized (lock) {
            return unfinished;
        }
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "AsyncQueue[size=" + items.size() + "/" + capacity + ", unfinished=" + unfinished
                    + (closed ? ", closed" : "") + "]";
        }
    }

    static QueueClosedException closedError() {
        return new QueueClosedException("queue is closed: no more items are accepted");
    }

    static void run(List<Runnable> actions) {
        for (Runnable action : actions) {
            action.run();
        }
    }

    // ---- state machine; every method below runs under lock and records the signals to emit in actions ----

    void accept(T item) {
        items.add(item);
        if (unfinished++ == 0) {
            joined = Sinks.empty();
        }
    }

    /**
     * Moves items to takers and waiting offers into free room until neither can progress. Signals are
     * emitted after the lock is released, by running {@code actions}.
     */
    void match(List<Runnable> actions) {
        for (;;) {
            while (items.size() < capacity && !putters.isEmpty()) {
                Putter<T> p = putters.poll();
                if (p.tryAccept()) {
                    accept(p.item);
                    actions.add(p::accepted);
                }
            }
            if (items.isEmpty() || takers.isEmpty()) {
                break;
            }
            Taker<T> t = takers.poll();
            if (t.isDead()) {
                continue;
            }
            Runnable emit = t.assign(items.poll());
            if (t.wantsMore()) {
                takers.add(t);   // round-robin between consumers
            }
            if (emit != null) {
                actions.add(emit);
            }
        }
        if (closed && items.isEmpty()) {
            for (Taker<T> t; (t = takers.poll()) != null; ) {
                actions.add(t.end());
            }
            // Flux consumers without outstanding demand are not in takers, but must complete too.
            for (FluxTaker<T> c : consumers) {
                actions.add(c.end());
            }
            consumers.clear();
        }
    }

    /** A waiting take or offer was cancelled; drop dead waiters once they are the majority. */
    void waiterCancelled() {
        synchronized (lock) {
            if (++cancelledWaiters > 32 && cancelledWaiters > (takers.size() + putters.size()) / 2) {
                takers.removeIf(Taker::isDead);
                putters.removeIf(Putter::isDead);
                cancelledWaiters = 0;
            }
        }
    }

    /** Puts back items that were handed to a consumer that was cancelled before it saw them. */
    void giveBack(List<T> returned) {
        List<Runnable> actions = new ArrayList<>();
        synchronized (lock) {
            for (int i = returned.size() - 1; i >= 0; i--) {
                items.addFirst(returned.get(i));
            }
            match(actions);
        }
        run(actions);
    }

    void register(MonoTaker<T> t) {
        List<Runnable> actions = new ArrayList<>(2);
        synchronized (lock) {
            if (t.isDead()) {
                return;
            }
            if (!items.isEmpty() || closed) {
                takers.add(t);   // served at once by match()
            } else if (full(takers, Taker::isDead)) {
                actions.add(() -> t.reject(tooManyWaiters("takes")));
            } else {
                takers.add(t);
                t.timer = startTimer(() -> timedOut(t));
            }
            match(actions);
        }
        run(actions);
    }

    void register(FluxTaker<T> c) {
        List<Runnable> actions = new ArrayList<>(1);
        synchronized (lock) {
            if (closed && items.isEmpty()) {
                actions.add(c.end());
            } else {
                consumers.add(c);
            }
        }
        run(actions);
    }

    void unregister(FluxTaker<T> c) {
        synchronized (lock) {
            consumers.remove(c);
        }
    }

    void register(Putter<T> p) {
        List<Runnable> actions = new ArrayList<>(2);
        synchronized (lock) {
            if (closed) {
                actions.add(() -> p.reject(closedError()));
            } else if (items.size() < capacity) {
                if (p.tryAccept()) {
                    accept(p.item);
                    actions.add(p::accepted);
                    match(actions);
                }
            } else if (full(putters, Putter::isDead)) {
                actions.add(() -> p.reject(tooManyWaiters("offers")));
            } else {
                putters.add(p);
                p.timer = startTimer(() -> timedOut(p));
            }
        }
        run(actions);
    }

    /** Under the lock: whether {@code waiting} holds {@code maxWaiters} live waiters (dropping dead ones first). */
    private <W> boolean full(ArrayDeque<W> waiting, java.util.function.Predicate<W> dead) {
        if (waiting.size() < maxWaiters) {
            return false;
        }
        waiting.removeIf(dead);
        return waiting.size() >= maxWaiters;
    }

    TooManyWaitersException tooManyWaiters(String what) {
        return new TooManyWaitersException("queue (capacity " + capacity + "): " + maxWaiters + " " + what
                + " already waiting (maxWaiters " + maxWaiters + ")", maxWaiters);
    }

    /** Under the lock: the timer ending a wait of {@code maxWait}, or {@code null} without a limit. */
    Disposable startTimer(Runnable onTimeout) {
        if (maxWait == null) {
            return null;
        }
        Scheduler clock = timer != null ? timer : Schedulers.parallel();
        return clock.schedule(onTimeout, maxWait.toNanos(), TimeUnit.NANOSECONDS);
    }

    void timedOut(Putter<T> p) {
        if (p.timeOut()) {
            waiterCancelled();
            p.actual.onError(new OperationTimeoutException("offer to a full queue (capacity " + capacity
                    + "; maxWait)", maxWait, null));
        }
    }

    void timedOut(MonoTaker<T> t) {
        synchronized (lock) {
            if (t.assigned || t.isDead()) {
                return;
            }
            t.timedOut = true;
        }
        waiterCancelled();
        t.reject(new OperationTimeoutException("take from an empty queue (maxWait)", maxWait, null));
    }

    /** Builds an {@link AsyncQueue}; every setting but the capacity has a {@code DEFAULT_*}. */
    public static final class Builder {
        private final int capacity;
        private int maxWaiters = DEFAULT_MAX_WAITERS;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private Scheduler timer;

        private Builder(int capacity) {
            this.capacity = capacity;
        }

        /** Offers that may wait for room, and takes that may wait for an item (>= 0 each; default 10,000). */
        public Builder maxWaiters(int maxWaiters) {
            this.maxWaiters = Checks.notNegative(maxWaiters, "maxWaiters");
            return this;
        }

        /** The longest one offer or take waits (> 0; default 30 s); {@code null} to wait as long as it takes. */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait == null ? null : Checks.positive(maxWait, "maxWait");
            return this;
        }

        /** The scheduler whose timer ends long waits; {@code null} (the default) for Reactor's parallel one. */
        public Builder scheduler(Scheduler scheduler) {
            this.timer = scheduler;
            return this;
        }

        public <T> AsyncQueue<T> build() {
            return new AsyncQueue<>(this);
        }
    }
}
