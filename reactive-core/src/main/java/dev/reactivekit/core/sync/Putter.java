package dev.reactivekit.core.sync;

import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import org.reactivestreams.Subscription;

/** One offer. Its state moves once from WAITING to ACCEPTED, CANCELLED or TIMED_OUT, never twice. */
final class Putter<T> implements Subscription {
    private static final int WAITING = 0;
    private static final int ACCEPTED = 1;
    private static final int CANCELLED = 2;
    private static final int TIMED_OUT = 3;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Putter> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Putter.class, "state");

    final CoreSubscriber<? super Void> actual;
    final AsyncQueue<T> queue;
    final T item;
    volatile int state;
    /** Set under the queue lock when the offer starts waiting. */
    Disposable timer;

    Putter(CoreSubscriber<? super Void> actual, AsyncQueue<T> queue, T item) {
        this.actual = actual;
        this.queue = queue;
        this.item = item;
    }

    boolean isDead() {
        return state >= CANCELLED;
    }

    boolean tryAccept() {
        return STATE.compareAndSet(this, WAITING, ACCEPTED);
    }

    boolean timeOut() {
        return STATE.compareAndSet(this, WAITING, TIMED_OUT);
    }

    void accepted() {
        stopTimer();
        actual.onComplete();
    }

    void reject(Throwable error) {
        if (STATE.compareAndSet(this, WAITING, ACCEPTED)) {
            stopTimer();
            actual.onError(error);
        }
    }

    private void stopTimer() {
        Disposable t = timer;
        if (t != null) {
            t.dispose();
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
            stopTimer();
            queue.waiterCancelled();
        }
    }
}
