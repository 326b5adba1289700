package dev.reactivekit.core.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import org.reactivestreams.Subscription;

/**
 * A Flux consumer. It sits in the queue's takers while it has unmet demand. Items assigned under the queue
 * lock go to {@code assigned}; a drain loop emits them one at a time, so onNext is never concurrent.
 */
final class FluxTaker<T> implements Taker<T>, Subscription {
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
        AsyncQueue.run(actions);
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
    public boolean isDead() {
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
