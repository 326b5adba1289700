package dev.reactivekit.core.sync;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;

/** One take(). Reactor's MonoSubscriber arbitrates between the item, the request and a cancellation. */
final class MonoTaker<T> extends Operators.MonoSubscriber<T, T> implements Taker<T> {
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<MonoTaker> DISCARDED =
            AtomicIntegerFieldUpdater.newUpdater(MonoTaker.class, "discarded");

    private final AsyncQueue<T> queue;
    private volatile int discarded;
    /** Under the queue lock: an item was handed over, or the wait timed out. */
    boolean assigned;
    volatile boolean timedOut;
    Disposable timer;

    MonoTaker(CoreSubscriber<? super T> actual, AsyncQueue<T> queue) {
        super(actual);
        this.queue = queue;
    }

    @Override
    public boolean isDead() {
        return isCancelled() || timedOut;
    }

    void reject(Throwable error) {
        if (!isCancelled()) {
            actual.onError(error);
        }
    }

    @Override
    public void cancel() {
        super.cancel();
        stopTimer();
        queue.waiterCancelled();
    }

    @Override
    public Runnable assign(T item) {
        assigned = true;
        stopTimer();
        return () -> complete(item);
    }

    private void stopTimer() {
        Disposable t = timer;
        if (t != null) {
            t.dispose();
        }
    }

    @Override
    public boolean wantsMore() {
        return false;
    }

    @Override
    public Runnable end() {
        assigned = true;
        stopTimer();
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
