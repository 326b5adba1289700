package dev.reactivekit.core.sync;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The {@code withPermit} operators: one subscriber waits in the semaphore's queue, subscribes the work when
 * granted, and gives the permit back when the work terminates or is cancelled, before signalling downstream.
 * Cheaper than {@code usingWhen} around {@code acquire()}: no permit object, no cleanup publishers.
 * <p>
 * A cancel that arrives while the work is still being subscribed (its synchronous start running on the granting
 * thread) does not give the permit back itself: the granting thread does, once {@code subscribe} has returned,
 * so the next holder never overlaps with that start.
 */
final class WithPermit {

    private WithPermit() {
    }

    static final class OnMono<T> extends Mono<T> {
        private final Mono<? extends T> work;
        private final AsyncSemaphore semaphore;

        OnMono(Mono<? extends T> work, AsyncSemaphore semaphore) {
            this.work = work;
            this.semaphore = semaphore;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            Holder<T> holder = new Holder<>(actual, work, semaphore, true);
            actual.onSubscribe(holder);
            semaphore.enqueue(holder);
        }
    }

    static final class OnFlux<T> extends Flux<T> {
        private final Publisher<? extends T> work;
        private final AsyncSemaphore semaphore;

        OnFlux(Publisher<? extends T> work, AsyncSemaphore semaphore) {
            this.work = work;
            this.semaphore = semaphore;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            Holder<T> holder = new Holder<>(actual, work, semaphore, false);
            actual.onSubscribe(holder);
            semaphore.enqueue(holder);
        }
    }

    /**
     * Waits for the permit, then subscribes the work and relays its signals. {@link Operators.DeferredSubscription}
     * keeps the downstream's requests and cancellation until the work's subscription arrives.
     */
    static final class Holder<T> extends Operators.DeferredSubscription implements CoreSubscriber<T>, Grantee {
        private static final int NONE = 0;
        private static final int HELD = 1;
        private static final int RETURNED = 2;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Holder> PERMIT =
                AtomicIntegerFieldUpdater.newUpdater(Holder.class, "permit");

        private final CoreSubscriber<? super T> actual;
        private final Publisher<? extends T> work;
        private final AsyncSemaphore semaphore;
        /** A Mono's value is held back until the permit is returned, so the caller sees the work as done. */
        private final boolean holdValue;
        private volatile int permit;
        /** True while {@code work.subscribe(this)} runs on the granting thread. */
        private volatile boolean starting;
        private T value;
        private int place;
        private Disposable timer;

        Holder(CoreSubscriber<? super T> actual, Publisher<? extends T> work, AsyncSemaphore semaphore, boolean holdValue) {
            this.actual = actual;
            this.work = work;
            this.semaphore = semaphore;
            this.holdValue = holdValue;
        }

        @Override
        public void grant() {
            // starting is set before the permit is marked held: a cancel that sees the permit held also sees that
            // the start may be under way, and leaves the give-back to this thread.
            starting = true;
            PERMIT.set(this, HELD);
            if (isCancelled()) {
                starting = false;
                giveBack();
                return;
            }
            try {
                work.subscribe(this);
            } finally {
                starting = false;
            }
            // A cancel during the subscription left the permit to us (see cancel()). Both sides write their flag
            // before reading the other's, so at least one of them sees the other and gives back, once.
            if (isCancelled()) {
                giveBack();
            }
        }

        @Override
        public void reject(Throwable error) {
            if (!isCancelled()) {
                actual.onError(error);
            }
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (!set(s) && !starting) {
                giveBack();   // cancelled before a late subscription arrived
            }
        }

        @Override
        public void onNext(T t) {
            if (holdValue) {
                value = t;
            } else {
                actual.onNext(t);
            }
        }

        @Override
        public void onError(Throwable t) {
            value = null;
            giveBack();
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            giveBack();
            T v = value;
            if (v != null) {
                value = null;
                actual.onNext(v);
            }
            actual.onComplete();
        }

        @Override
        public void cancel() {
            super.cancel();
            value = null;
            if (permit == NONE) {
                semaphore.cancelled(this);
            }
            // Either the grant sees the cancellation and gives the permit back, or we do: giveBack() runs once.
            // While the work's synchronous start runs, the granting thread gives it back when that start is over.
            if (permit == HELD && !starting) {
                giveBack();
            }
        }

        @Override
        public boolean isCancelled() {
            return super.isCancelled();
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
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

        private void giveBack() {
            if (PERMIT.compareAndSet(this, HELD, RETURNED)) {
                semaphore.releaseOne();
            }
        }
    }
}
