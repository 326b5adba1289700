package dev.reactivekit.core.sync;

import dev.reactivekit.core.internal.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import org.reactivestreams.Subscription;

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
 * @param <T> the item type; items must not be {@code null}
 */
public final class AsyncQueue<T> {

    private final int capacity;
    private final Object lock = new Object();
    // All of the following are guarded by lock.
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ArrayDeque<Putter<T>> putters = new ArrayDeque<>();
    private final ArrayDeque<Taker<T>> takers = new ArrayDeque<>();
    private final Set<FluxTaker<T>> consumers = new LinkedHashSet<>();
    private int cancelledWaiters;
    private long unfinished;
    private Sinks.Empty<Void> joined;
    private boolean closed;

    private AsyncQueue(int capacity) {
        this.capacity = capacity;
    }

    /** A queue that holds at most {@code capacity} (> 0) items. */
    public static <T> AsyncQueue<T> bounded(int capacity) {
        return new AsyncQueue<>(Checks.positive(capacity, "capacity"));
    }

    /**
     * Adds {@code item}, waiting while the queue is full. Completes once the item is in the queue; errors with
     * {@link QueueClosedException} if the queue is (or gets) closed first. Lazy: nothing is added until
     * subscription. Cancelling while it waits withdraws the item.
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
     * drained. Cancelling while it waits takes nothing.
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

    private static QueueClosedException closedError() {
        return new QueueClosedException("queue is closed: no more items are accepted");
    }

    private static void run(List<Runnable> actions) {
        for (Runnable action : actions) {
            action.run();
        }
    }

    // ---- state machine; every method below runs under lock and records the signals to emit in actions ----

    private void accept(T item) {
        items.add(item);
        if (unfinished++ == 0) {
            joined = Sinks.empty();
        }
    }

    /**
     * Moves items to takers and waiting offers into free room until neither can progress. Signals are
     * emitted after the lock is released, by running {@code actions}.
     */
    private void match(List<Runnable> actions) {
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
            if (t.isCancelled()) {
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
    private void waiterCancelled() {
        synchronized (lock) {
            if (++cancelledWaiters > 32 && cancelledWaiters > (takers.size() + putters.size()) / 2) {
                takers.removeIf(Taker::isCancelled);
                putters.removeIf(Putter::isCancelled);
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

    void register(Taker<T> t) {
        List<Runnable> actions = new ArrayList<>(2);
        synchronized (lock) {
            if (t.isCancelled()) {
                return;
            }
            takers.add(t);
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
            } else {
                putters.add(p);
            }
        }
        run(actions);
    }

    // ---- waiters ----

    /** A consumer waiting for items: a single take() or a Flux subscriber with outstanding demand. */
    private interface Taker<T> {
        boolean isCancelled();

        /** Hands over one item (under the queue lock); returns the signal to emit after unlocking, if any. */
        Runnable assign(T item);

        /** Whether this taker still wants items after the last assign (under the queue lock). */
        boolean wantsMore();

        /** The queue is closed and empty: the signal that ends this taker. */
        Runnable end();
    }

    private static final class OfferMono<T> extends Mono<Void> {
        private final AsyncQueue<T> queue;
        private final T item;

        OfferMono(AsyncQueue<T> queue, T item) {
            this.queue = queue;
            this.item = item;
        }

        @Override
        public void subscribe(CoreSubscriber<? super Void> actual) {
            Putter<T> p = new Putter<>(actual, queue, item);
            actual.onSubscribe(p);
            queue.register(p);
        }
    }

    /** One offer. Its state moves once from WAITING to ACCEPTED or CANCELLED, never both. */
    private static final class Putter<T> implements Subscription {
        private static final int WAITING = 0;
        private static final int ACCEPTED = 1;
        private static final int CANCELLED = 2;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Putter> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Putter.class, "state");

        final CoreSubscriber<? super Void> actual;
        final AsyncQueue<T> queue;
        final T item;
        volatile int state;

        Putter(CoreSubscriber<? super Void> actual, AsyncQueue<T> queue, T item) {
            this.actual = actual;
            this.queue = queue;
            this.item = item;
        }

        boolean isCancelled() {
            return state == CANCELLED;
        }

        boolean tryAccept() {
            return STATE.compareAndSet(this, WAITING, ACCEPTED);
        }

        void accepted() {
            actual.onComplete();
        }

        void reject(Throwable error) {
            if (STATE.compareAndSet(this, WAITING, ACCEPTED)) {
                actual.onError(error);
            }
        }

        @Override
        public void request(long n) {
            // A Mono<Void> emits no item: completion does not wait for demand.
        }

        @Override
        public void cancel() {
            // match() skips it because tryAccept() fails; waiterCancelled() eventually drops it.
            if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
                queue.waiterCancelled();
            }
        }
    }

    private static final class TakeMono<T> extends Mono<T> {
        private final AsyncQueue<T> queue;

        TakeMono(AsyncQueue<T> queue) {
            this.queue = queue;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            MonoTaker<T> t = new MonoTaker<>(actual, queue);
            actual.onSubscribe(t);
            queue.register(t);
        }
    }

    /** One take(). Reactor's MonoSubscriber arbitrates between the item, the request and a cancellation. */
    private static final class MonoTaker<T> extends Operators.MonoSubscriber<T, T> implements Taker<T> {
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<MonoTaker> DISCARDED =
                AtomicIntegerFieldUpdater.newUpdater(MonoTaker.class, "discarded");

        private final AsyncQueue<T> queue;
        private volatile int discarded;

        MonoTaker(CoreSubscriber<? super T> actual, AsyncQueue<T> queue) {
            super(actual);
            this.queue = queue;
        }

        @Override
        public void cancel() {
            super.cancel();
            queue.waiterCancelled();
        }

        @Override
        public Runnable assign(T item) {
            return () -> complete(item);
        }

        @Override
        public boolean wantsMore() {
            return false;
        }

        @Override
        public Runnable end() {
            return () -> {
                if (!isCancelled()) {
                    actual.onComplete();
                }
            };
        }

        @Override
        protected void discard(T item) {
            // The item reached a take() that was cancelled meanwhile: it goes back to the head of the queue.
            // MonoSubscriber may discard the same value twice under that race, hence the guard.
            if (item != null && DISCARDED.compareAndSet(this, 0, 1)) {
                queue.giveBack(List.of(item));
            }
        }
    }

    private static final class ConsumerFlux<T> extends Flux<T> {
        private final AsyncQueue<T> queue;

        ConsumerFlux(AsyncQueue<T> queue) {
            this.queue = queue;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            FluxTaker<T> c = new FluxTaker<>(actual, queue);
            actual.onSubscribe(c);
            queue.register(c);
        }
    }

    /**
     * A Flux consumer. It sits in the queue's takers while it has unmet demand. Items assigned under the queue
     * lock go to {@code assigned}; a drain loop emits them one at a time, so onNext is never concurrent.
     */
    private static final class FluxTaker<T> implements Taker<T>, Subscription {
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<FluxTaker> WIP =
                AtomicIntegerFieldUpdater.newUpdater(FluxTaker.class, "wip");

        private final CoreSubscriber<? super T> actual;
        private final AsyncQueue<T> queue;
        private final Queue<T> assigned = new ConcurrentLinkedQueue<>();
        private volatile int wip;
        private volatile boolean cancelled;
        private volatile boolean ended;
        private boolean terminated;      // drain loop only
        private long unmet;              // demand not yet matched with an item; queue lock
        private boolean waiting;         // whether this taker is in the queue's takers; queue lock

        FluxTaker(CoreSubscriber<? super T> actual, AsyncQueue<T> queue) {
            this.actual = actual;
            this.queue = queue;
        }

        @Override
        public void request(long n) {
            if (!Operators.validate(n)) {
                return;
            }
            List<Runnable> actions = new ArrayList<>(2);
            synchronized (queue.lock) {
                if (cancelled || ended) {
                    return;
                }
                unmet = Operators.addCap(unmet, n);
                if (!waiting) {
                    waiting = true;
                    queue.takers.add(this);
                }
                queue.match(actions);
            }
            run(actions);
        }

        @Override
        public void cancel() {
            synchronized (queue.lock) {
                // match() drops cancelled takers; nothing is assigned to this one from now on.
                cancelled = true;
            }
            drain();
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public Runnable assign(T item) {
            assigned.add(item);
            unmet--;
            return this::drain;
        }

        @Override
        public boolean wantsMore() {
            waiting = unmet > 0;
            return waiting;
        }

        @Override
        public Runnable end() {
            waiting = false;
            ended = true;
            return this::drain;
        }

        /** Unregisters from the queue once terminated, so closed consumers are not kept. */
        private void terminated() {
            terminated = true;
            queue.unregister(this);
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            do {
                if (!terminated) {
                    if (cancelled) {
                        terminated();
                        List<T> returned = new ArrayList<>();
                        for (T item; (item = assigned.poll()) != null; ) {
                            returned.add(item);
                        }
                        if (!returned.isEmpty()) {
                            queue.giveBack(returned);
                        }
                    } else {
                        for (T item; !cancelled && (item = assigned.poll()) != null; ) {
                            actual.onNext(item);
                        }
                        if (!cancelled && ended && assigned.isEmpty()) {
                            terminated();
                            actual.onComplete();
                        }
                    }
                }
                missed = WIP.addAndGet(this, -missed);
            } while (missed != 0);
        }
    }
}
