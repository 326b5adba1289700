package dev.reactivekit.core.sync;

import java.util.List;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;

/** One take(). {@link Handoff} decides, once, whether the item reaches the subscriber or goes back to the queue. */
final class MonoTaker<T> extends Handoff<T> implements Taker<T> {
    private final AsyncQueue<T> queue;
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
        fail(error);
    }

    @Override
    protected void onCancel() {
        stopTimer();
        queue.waiterCancelled();
    }

    @Override
    public Runnable assign(T item) {
        assigned = true;
        stopTimer();
        return () -> deliver(item);
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
        return this::finish;
    }

    @Override
    protected void giveBack(T item) {
        // The item reached a take() that was cancelled meanwhile: it goes back to the head of the queue.
        queue.giveBack(List.of(item));
    }
}
