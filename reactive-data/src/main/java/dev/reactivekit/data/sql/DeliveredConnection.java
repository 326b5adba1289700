package dev.reactivekit.data.sql;

import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A connection acquisition whose cancel reaches the pool only while no connection was delivered. r2dbc-pool gives
 * a connection back on any cancel that arrives before its acquisition completes, and a caller cancelled at the
 * moment it receives the connection (Reactor's {@code usingWhen} may pass that cancel upstream) then holds a
 * connection the pool also hands to the next caller: two statements, or a ROLLBACK and someone's BEGIN, on one
 * connection. Here the cancel and the delivery race for one state: the loser gives way, so the connection is
 * either back in the pool or held by exactly one caller, who gives it back.
 */
final class DeliveredConnection<T> extends Mono<T> {

    private final Mono<T> acquire;

    private DeliveredConnection(Mono<T> acquire) {
        this.acquire = acquire;
    }

    static <T> Mono<T> of(Mono<T> acquire) {
        return new DeliveredConnection<>(acquire);
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        acquire.subscribe(new Guard<>(actual));
    }

    private static final class Guard<T> extends AtomicInteger implements CoreSubscriber<T>, Subscription {
        private static final int WAITING = 0;
        private static final int DELIVERED = 1;
        private static final int CANCELLED = 2;

        private final CoreSubscriber<? super T> actual;
        private Subscription upstream;

        Guard(CoreSubscriber<? super T> actual) {
            this.actual = actual;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(T connection) {
            if (compareAndSet(WAITING, DELIVERED)) {
                actual.onNext(connection);
            } else {
                // Cancelled first: the cancel went upstream, and the pool takes the connection back itself.
                Operators.onDiscard(connection, actual.currentContext());
            }
        }

        @Override
        public void onError(Throwable error) {
            if (get() != CANCELLED) {
                actual.onError(error);
            }
        }

        @Override
        public void onComplete() {
            if (get() != CANCELLED) {
                actual.onComplete();
            }
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            if (compareAndSet(WAITING, CANCELLED)) {
                upstream.cancel();
            }
        }
    }
}
