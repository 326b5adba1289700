package dev.reactivekit.data.sql;

import dev.reactivekit.core.Failures;
import dev.reactivekit.data.internal.JdkWarmUp;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** PostgreSQL's {@code LISTEN} for a {@link Database}: see {@link Database#listen}. */
final class Notifications {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Duration LISTEN_BACKOFF_FIRST = Duration.ofMillis(100);
    private static final Duration LISTEN_BACKOFF_MAX = Duration.ofSeconds(5);

    private Notifications() {
    }

    /**
     * {@code listen} ({@code LISTEN "channel"}) on a connection of its own from {@code direct}, listened again
     * after every lost connection, a {@link SqlNotification.Gap} marking each time.
     */
    static Flux<SqlNotification> listen(ConnectionFactory direct, String channel, String listen, String display,
            Duration statementTimeout) {
        return Flux.defer(() -> {
            AtomicBoolean listenedBefore = new AtomicBoolean();
            Flux<SqlNotification> session = Flux.usingWhen(
                    JdkWarmUp.networking().then(Mono.from(direct.create()).cast(PostgresqlConnection.class)),
                    connection -> Flux.from(connection.createStatement(listen).execute())
                            .concatMap(Result::getRowsUpdated)
                            .thenMany(Flux.defer(() -> {
                                Flux<SqlNotification> messages = connection.getNotifications()
                                        .map(n -> new SqlNotification.Message(n.getName(),
                                                n.getParameter() == null ? "" : n.getParameter(), n.getProcessId()));
                                return listenedBefore.getAndSet(true)
                                        ? Flux.concat(Mono.just(new SqlNotification.Gap(channel, Instant.now())),
                                                messages)
                                        : messages;
                            })),
                    connection -> Mono.from(connection.close()),
                    (connection, error) -> Mono.from(connection.close()),
                    connection -> Mono.from(connection.close()))
                    .onErrorMap(e -> SqlErrors.map(e, listen, statementTimeout));
            // The notification stream ends, or fails, when the connection is lost: listen again.
            return session
                    .repeatWhen(ends -> ends.concatMap(end -> Mono.delay(LISTEN_BACKOFF_FIRST)))
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, LISTEN_BACKOFF_FIRST).maxBackoff(LISTEN_BACKOFF_MAX)
                            .filter(Failures::isTransient)
                            .doBeforeRetry(signal -> log.warn("LISTEN {} on {} lost its connection ({}); listening again",
                                    channel, display, signal.failure().toString())));
        });
    }
}
