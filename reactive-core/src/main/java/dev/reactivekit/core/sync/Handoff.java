package dev.reactivekit.core.sync;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/**
 * The subscription of a waiter that receives at most one value (a queue's take, a semaphore's acquire), with an
 * exactly-once outcome for that value: it is either delivered downstream or {@linkplain #giveBack given back},
 * never both and never neither, however the value's arrival, the request and a cancellation race.
 *
 * <p>Reactor's {@code Operators.MonoSubscriber} does not promise that: when {@code request} and {@code cancel}
 * race over a value that arrived before the request, both can take it, so the value is emitted and discarded.
 * A discarded queue item goes back to the queue, and a discarded permit is released: one item would be delivered
 * twice, one permit used without being held.
 */
abstract class Handoff<T> implements Subscription {
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Handoff> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Handoff.class, "state");

    private static final int WAITING = 0;
    private static final int REQUESTED = 1;
    /** The value arrived before the request; it sits in {@link #value}. */
    private static final int HELD = 2;
    /** A signal (the value, an error, or completion) went downstream. */
    private static final int DONE = 3;
    private static final int CANCELLED = 4;

    protected final CoreSubscriber<? super T> actual;
    private volatile int state;
    private T value;   // written by deliver() first; read by whoever moves the state to DONE from there

    Handoff(CoreSubscriber<? super T> actual) {
        this.actual = actual;
    }

    /** Takes back a value this subscriber will never deliver (it was cancelled). Called at most once. */
    protected abstract void giveBack(T value);

    /** Called once, after the move to cancelled: stop timers, tell the owner. */
    protected abstract void onCancel();

    /** Delivers {@code v}: at once if requested, when requested otherwise, or gives it back if cancelled. */
    final void deliver(T v) {
        value = v;
        for (;;) {
            int s = state;
            if (s == WAITING) {
                if (STATE.compareAndSet(this, WAITING, HELD)) {
                    return;
                }
            } else if (s == REQUESTED) {
                if (STATE.compareAndSet(this, REQUESTED, DONE)) {
                    emit();
                    return;
                }
            } else {
                // Cancelled before the value was held: the cancel took nothing, so the value goes back here.
                value = null;
                giveBack(v);
                return;
            }
        }
    }

    /** Whoever moved the state to done from requested or held: the value goes downstream. */
    private void emit() {
        T v = value;
        value = null;
        actual.onNext(v);
        actual.onComplete();
    }

    /** Fails downstream unless a signal already went or the subscriber cancelled. */
    final void fail(Throwable error) {
        if (terminate()) {
            actual.onError(error);
        }
    }

    /** Completes downstream empty unless a signal already went or the subscriber cancelled. */
    final void finish() {
        if (terminate()) {
            actual.onComplete();
        }
    }

    private boolean terminate() {
        for (;;) {
            int s = state;
            if (s != WAITING && s != REQUESTED) {
                return false;
            }
            if (STATE.compareAndSet(this, s, DONE)) {
                return true;
            }
        }
    }

    public final boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public final void request(long n) {
        if (!Operators.validate(n)) {
            return;
        }
        for (;;) {
            int s = state;
            if (s == WAITING) {
                if (STATE.compareAndSet(this, WAITING, REQUESTED)) {
                    return;
                }
            } else if (s == HELD) {
                if (STATE.compareAndSet(this, HELD, DONE)) {
                    emit();
                    return;
                }
            } else {
                return;
            }
        }
    }

    @Override
    public final void cancel() {
        for (;;) {
            int s = state;
            if (s == DONE || s == CANCELLED) {
                return;
            }
            if (STATE.compareAndSet(this, s, CANCELLED)) {
                if (s == HELD) {
                    T v = value;
                    value = null;
                    giveBack(v);
                }
                onCancel();
                return;
            }
        }
    }
}
