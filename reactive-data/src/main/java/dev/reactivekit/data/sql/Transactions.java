package dev.reactivekit.data.sql;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import java.time.Duration;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** How a {@link Database} runs a transaction: see {@link Database#inTransaction(TransactionIsolation, Function)}. */
final class Transactions {

    private Transactions() {
    }

    /**
     * {@code body} on a connection from {@code acquire}, between BEGIN (at {@code isolation}, or the server's
     * default when {@code null}) and COMMIT; rolled back when it fails, and when it is cancelled (on PostgreSQL
     * after asking the server to stop the statement running, elsewhere by closing the connection). The
     * connection is given back in every case.
     */
    static <T> Flux<T> run(Mono<Connection> acquire, TransactionIsolation isolation,
            Function<Transaction, ? extends Publisher<T>> body, Duration statementTimeout, Dialect dialect) {
        return Flux.usingWhen(acquire.map(connection -> new Held(connection, new StatementGate())),
                held -> held.gate.admit(() -> isolation == null ? held.connection.beginTransaction()
                                : held.connection.beginTransaction(isolation.level))
                        .thenMany(Flux.defer(() -> body.apply(new Transaction(held.connection, statementTimeout, dialect,
                                held.gate)))),
                held -> held.end(connection -> Mono.from(connection.commitTransaction())
                        .onErrorResume(e -> Database.discard(connection).then(Mono.error(SqlErrors.map(e, "COMMIT",
                                statementTimeout))))
                        .then(Database.release(connection))),
                (held, error) -> held.end(Transactions::rollback),
                held -> held.end(dialect == Dialect.POSTGRESQL ? Transactions::cancelAndRollback : Database::discard));
    }

    /** The transaction's connection and the gate its statements pass, closed before the transaction ends. */
    private record Held(Connection connection, StatementGate gate) {
        Mono<Void> end(Function<Connection, Mono<Void>> ending) {
            return Mono.defer(() -> {
                gate.close();
                return ending.apply(connection);
            });
        }
    }

    private static Mono<Void> rollback(Connection connection) {
        return Mono.from(connection.rollbackTransaction())
                .then(Database.release(connection))
                .onErrorResume(e -> Database.discard(connection));
    }

    /**
     * A cancelled transaction may be in the middle of a statement, which would hold its locks (and the
     * ROLLBACK behind it) until it ends: stop it on the server first. Then a ROLLBACK statement, not the
     * driver's {@code rollbackTransaction()}: the driver skips that when the last reply it has read says "not
     * in a transaction", which is what it says while the BEGIN is still on its way, and the connection would go
     * back to the pool inside the transaction (the next borrower's statements running in it, and then lost).
     * The statement is queued behind whatever was sent, so it always ends the transaction; outside one, the
     * server only warns. (On MariaDB a cancelled statement may still be sent after a ROLLBACK, and so run
     * outside the transaction: there the connection is closed instead, and the server rolls the transaction
     * back.)
     */
    private static Mono<Void> cancelAndRollback(Connection connection) {
        return Database.cancelRunningStatement(connection)
                .thenMany(Flux.from(connection.createStatement("ROLLBACK").execute()).flatMap(Result::getRowsUpdated))
                .then(Database.release(connection))
                .onErrorResume(e -> Database.discard(connection));
    }
}
