package dev.reactivekit.data.sql;

import io.r2dbc.spi.Connection;
import java.time.Duration;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The statements of one transaction, given to {@link Database#inTransaction}: all run on its one connection, in
 * the order subscribed. Valid only inside the function it was given to.
 */
public final class Transaction extends SqlSession {

    private final Connection connection;

    Transaction(Connection connection, Duration statementTimeout, Dialect dialect) {
        super(statementTimeout, dialect);
        this.connection = connection;
    }

    @Override
    <T> Flux<T> withConnection(boolean read, Function<Connection, Publisher<T>> work) {
        return Flux.defer(() -> work.apply(connection));
    }
}
