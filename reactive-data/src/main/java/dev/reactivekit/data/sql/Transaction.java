package dev.reactivekit.data.sql;

import io.r2dbc.spi.Connection;
import java.time.Duration;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The statements of one transaction, given to {@link Database#inTransaction}: all run on its one connection, in
 * the order subscribed, each within the caller's deadline (enforced by the server, so that a statement cut at
 * the deadline leaves the transaction to roll back cleanly). Not retried. Valid only inside the function it was
 * given to.
 */
public final class Transaction extends SqlSession {

    private final Connection connection;
    private final StatementGate gate;

    Transaction(Connection connection, Duration statementTimeout, Dialect dialect, StatementGate gate) {
        super(statementTimeout, dialect);
        this.connection = connection;
        this.gate = gate;
    }

    @Override
    StatementGate gate() {
        return gate;
    }

    @Override
    <T> Flux<T> withConnection(boolean read, String sql, Function<Connection, Publisher<T>> work) {
        return statement(connection, sql, work);
    }
}
