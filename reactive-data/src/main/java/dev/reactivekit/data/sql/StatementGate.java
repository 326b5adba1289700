package dev.reactivekit.data.sql;

import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * Orders a transaction's statements before its end. The drivers send a statement when its publisher is
 * subscribed, and a transaction's statements are subscribed on whatever thread its previous reply arrived on:
 * a cancel racing with them could queue its ROLLBACK before a BEGIN or an UPDATE sent a moment later, which then
 * ran outside the transaction (committed at once) or left the connection inside one. Every statement of a
 * transaction is subscribed through the gate, under its lock, and the transaction's end {@link #close() closes}
 * it first: what was admitted is on the wire before the ROLLBACK or COMMIT, and nothing is admitted afterwards.
 */
final class StatementGate {

    /** The gate of statements outside a transaction: admits everything, never closes. */
    static final StatementGate OPEN = new StatementGate();

    private boolean closed;

    /** {@code statement} subscribed under the gate's lock, or an error if the transaction has ended. */
    <T> Flux<T> admit(Supplier<? extends Publisher<T>> statement) {
        if (this == OPEN) {
            return Flux.defer(statement);
        }
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super T> actual) {
                synchronized (StatementGate.this) {
                    if (!closed) {
                        statement.get().subscribe(actual);
                        return;
                    }
                }
                Operators.error(actual, new TransactionEndedException());
            }
        };
    }

    /** Admits nothing from now on; returns once every statement admitted before has been subscribed. */
    synchronized void close() {
        closed = true;
    }

    /** A statement of a transaction that had already ended (committed, rolled back or cancelled). */
    static final class TransactionEndedException extends IllegalStateException {
        TransactionEndedException() {
            super("the transaction has ended (committed, rolled back or cancelled): its statements can no longer run");
        }
    }
}
