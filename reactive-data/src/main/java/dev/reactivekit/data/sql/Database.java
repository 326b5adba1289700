package dev.reactivekit.data.sql;

import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.data.internal.Causes;
import dev.reactivekit.data.internal.JdkWarmUp;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import org.mariadb.r2dbc.MariadbConnectionConfiguration;
import org.mariadb.r2dbc.MariadbConnectionFactory;
import dev.reactivekit.core.Failures;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * A pool of database connections (asyncpg's {@code Pool}, aiomysql's), over r2dbc-pool with r2dbc-postgresql or
 * r2dbc-mariadb. The same API on both; {@code $1, $2} parameters on both (rewritten to {@code ?} for MariaDB). Each call
 * takes a connection for as long as its stream runs and gives it back; {@link #inTransaction} holds one for the
 * whole transaction.
 *
 * <pre>{@code
 * Database db = Database.connect("postgresql://user:password@localhost/mydb",
 *         SqlOptions.builder().minSize(5).maxSize(20).statementTimeout(Duration.ofSeconds(60)).build()).block();
 * Flux<Row> rows = db.query("SELECT * FROM users WHERE id = $1", 1);
 * Mono<Row> row = db.queryOne("SELECT * FROM users LIMIT 1");
 * Mono<Long> inserted = db.execute("INSERT INTO users(name, email) VALUES($1, $2)", "Alice", "alice@example.com");
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>A query cancelled mid-stream does not hand a dirty connection back: the connection is closed and the
 *       pool opens a fresh one when needed.</li>
 *   <li>Errors are typed and name the statement, never the parameter values: {@link SqlException} (with the
 *       SQLSTATE), {@link ConstraintViolationException} (with the constraint's name),
 *       {@link SqlUnavailableException}, {@link dev.reactivekit.core.OperationTimeoutException} (the statement
 *       timeout, enforced by the server), {@link PoolTimeoutException} (no connection free within the acquire
 *       timeout), {@link IllegalArgumentException} (a parameter count or value that does not fit, naming it).</li>
 * </ul>
 * Thread-safe.
 */
public final class Database extends SqlSession implements AsyncCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Duration LISTEN_BACKOFF_FIRST = Duration.ofMillis(100);
    private static final Duration LISTEN_BACKOFF_MAX = Duration.ofSeconds(5);

    /** How long a PostgreSQL cancel request may take before it is given up. */
    private static final Duration CANCEL_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** Rows per statement batch in {@link #batch}. */
    public static final int DEFAULT_BATCH_CHUNK = 1_000;

    private final ConnectionPool pool;
    private final ConnectionFactory direct;
    private final SqlOptions options;
    private final String display;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(ConnectionPool pool, ConnectionFactory direct, Dialect dialect, SqlOptions options,
            String display) {
        super(options.statementTimeout(), dialect);
        this.pool = pool;
        this.direct = direct;
        this.options = options;
        this.display = display;
    }

    /** {@link #connect(String, SqlOptions)} with the default options. */
    public static Mono<Database> connect(String url) {
        return connect(url, SqlOptions.defaults());
    }

    /**
     * Opens a pool on {@code url}: {@code postgresql://[user[:password]@]host[:port]/database[?schema=...]}
     * ({@code postgres://} too) or {@code mariadb://[user[:password]@]host[:port]/database} ({@code mysql://}). Emits the database once {@link SqlOptions#minSize()} connections (at least one,
     * to prove the server answers) are open; fails with an {@link IllegalArgumentException} naming a malformed
     * URL (its password masked), a {@link SqlUnavailableException} when the server cannot be reached, or a
     * {@link SqlException} when it refuses the login.
     */
    public static Mono<Database> connect(String url, SqlOptions options) {
        Checks.notNull(url, "url");
        Checks.notNull(options, "options");
        return Mono.defer(() -> {
            SqlUrl parsed;
            try {
                parsed = SqlUrl.parse(url);
            } catch (IllegalArgumentException e) {
                return Mono.error(e);
            }
            ConnectionFactory factory = parsed.dialect() == Dialect.POSTGRESQL
                    ? new PostgresqlConnectionFactory(configuration(parsed, options))
                    : MariadbConnectionFactory.from(mariadbConfiguration(parsed, options));
            ConnectionPool pool = new ConnectionPool(poolConfiguration(factory, parsed, options));
            Database database = new Database(pool, factory, parsed.dialect(), options, parsed.display());
            Mono<Void> ready = JdkWarmUp.networking()
                    .then(parsed.dialect() == Dialect.MARIADB ? JdkWarmUp.mariadbDriver() : Mono.empty());
            return ready
                    .then(Mono.from(pool.create()))
                    .flatMap(connection -> Mono.from(connection.close()))
                    .then(pool.warmup())
                    .thenReturn(database)
                    .onErrorResume(e -> pool.disposeLater().onErrorResume(x -> Mono.empty())
                            .then(Mono.error(connectError(parsed.display(), e))))
                    .doOnCancel(pool::dispose);
        });
    }

    private static PostgresqlConnectionConfiguration configuration(SqlUrl url, SqlOptions options) {
        PostgresqlConnectionConfiguration.Builder config = PostgresqlConnectionConfiguration.builder()
                .host(url.host())
                .port(url.port())
                .username(url.user())
                .database(url.database())
                .connectTimeout(options.connectTimeout())
                .tcpKeepAlive(true)
                .tcpNoDelay(true)
                .applicationName(url.applicationName());
        if (url.password() != null) {
            config.password(url.password());
        }
        if (url.schema() != null) {
            config.schema(url.schema());
        }
        if (options.statementTimeout() != null) {
            config.statementTimeout(options.statementTimeout());
        }
        return config.build();
    }

    private static MariadbConnectionConfiguration mariadbConfiguration(SqlUrl url, SqlOptions options) {
        MariadbConnectionConfiguration.Builder config = MariadbConnectionConfiguration.builder()
                .host(url.host())
                .port(url.port())
                .username(url.user())
                .database(url.database())
                .connectTimeout(options.connectTimeout())
                .tcpKeepAlive(true);
        if (url.password() != null) {
            config.password(url.password());
        }
        if (options.statementTimeout() != null) {
            // Enforced by the server, like PostgreSQL's statement_timeout (seconds, fractions allowed).
            config.sessionVariables(Map.of("max_statement_time", options.statementTimeout().toMillis() / 1000.0));
        }
        return config.build();
    }

    private static ConnectionPoolConfiguration poolConfiguration(ConnectionFactory factory, SqlUrl url,
            SqlOptions options) {
        ConnectionPoolConfiguration.Builder pool = ConnectionPoolConfiguration
                .builder(factory)
                .name("reactivekit-" + url.display().replaceAll("[^A-Za-z0-9_.-]", "_"))
                .initialSize(options.minSize())
                .minIdle(options.minSize())
                .maxSize(options.maxSize())
                .maxAcquireTime(options.acquireTimeout())
                .maxCreateConnectionTime(options.connectTimeout())
                .maxIdleTime(options.maxIdleTime())
                .maxLifeTime(options.maxLifeTime())
                .backgroundEvictionInterval(Duration.ofSeconds(30));
        if (options.validationQuery() != null) {
            pool.validationQuery(options.validationQuery());
        } else {
            pool.validationDepth(ValidationDepth.LOCAL);
        }
        return pool.build();
    }

    private static Throwable connectError(String display, Throwable error) {
        String detail = Causes.rootMessage(error);
        if (error instanceof R2dbcPermissionDeniedException || (error instanceof R2dbcException r
                && r.getSqlState() != null && r.getSqlState().startsWith("28"))) {
            return new SqlException("cannot log in to " + display + ": " + detail,
                    ((R2dbcException) error).getSqlState(), error);
        }
        if (error instanceof R2dbcException r && r.getSqlState() != null && r.getSqlState().equals("3D000")) {
            return new SqlException("cannot connect to " + display + ": " + detail, r.getSqlState(), error);
        }
        return new SqlUnavailableException("cannot connect to " + display + ": " + detail, error);
    }

    // -------------------------------------------------------------------------------------------- connections

    @Override
    <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Flux.usingWhen(acquire(), work, Database::release, (connection, error) -> release(connection),
                Database::discard);
    }

    private Mono<Connection> acquire() {
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new IllegalStateException("the Database " + display + " is closed"));
            }
            return Mono.from(pool.create()).onErrorMap(Database::isAcquireTimeout, e -> new PoolTimeoutException(
                    "connection pool of " + display, options.maxSize(), options.acquireTimeout(), e));
        });
    }

    private static boolean isAcquireTimeout(Throwable error) {
        return error instanceof TimeoutException || error instanceof R2dbcTimeoutException
                || error.getCause() instanceof TimeoutException;
    }

    private static Mono<Void> release(Connection connection) {
        return Mono.from(connection.close());
    }

    /**
     * After a cancel the connection may be mid-statement: close the real connection, then give the pooled one
     * back; validation on the next acquire sees it closed and the pool opens a fresh one. Never handed to the
     * next caller dirty. (No cancel request is sent first: r2dbc-postgresql 1.1.1 leaks the buffer of the error
     * reply that then arrives on a closing connection. The server ends the abandoned statement itself.)
     */
    private static Mono<Void> discard(Connection connection) {
        Connection real = connection instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof Connection c
                ? c : connection;
        return Mono.from(real.close()).onErrorResume(e -> Mono.empty())
                .then(release(connection))
                .onErrorResume(e -> Mono.empty());
    }

    /** Asks the server to cancel what the connection runs now, if anything; bounded, errors ignored. */
    private static Mono<Void> cancelRunningStatement(Connection connection) {
        Connection real = connection instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof Connection c
                ? c : connection;
        if (!(real instanceof PostgresqlConnection postgres)) {
            return Mono.empty();
        }
        return postgres.cancelRequest().timeout(CANCEL_REQUEST_TIMEOUT).onErrorResume(e -> Mono.empty());
    }

    // ------------------------------------------------------------------------------------------ transactions

    /**
     * A transaction whose body yields one value (or none): {@link #inTransaction(Function)} as a {@code Mono}.
     * Prefer it to {@code inTransaction(...).next()}, which cancels the stream after its first value and so
     * rolls the transaction back.
     */
    public <T> Mono<T> transaction(Function<Transaction, ? extends Mono<T>> body) {
        Checks.notNull(body, "body");
        return inTransaction(null, body::apply).singleOrEmpty();
    }

    /** {@link #inTransaction(TransactionIsolation, Function)} at the server's default isolation. */
    public <T> Flux<T> inTransaction(Function<Transaction, ? extends Publisher<T>> body) {
        return inTransaction(null, body);
    }

    /**
     * Runs {@code body}'s statements in one transaction (asyncpg's {@code async with conn.transaction()}):
     * committed when its stream completes, rolled back when it fails or is cancelled; the connection is given
     * back in every case. A failed commit fails the stream. Cancelling means rolling back: do not end the stream
     * early with {@code next()} or {@code take(n)}; use {@link #transaction} for a single result.
     */
    public <T> Flux<T> inTransaction(TransactionIsolation isolation, Function<Transaction, ? extends Publisher<T>> body) {
        Checks.notNull(body, "body");
        return Flux.usingWhen(acquire(),
                connection -> Mono.from(isolation == null ? connection.beginTransaction()
                                : connection.beginTransaction(isolation.level))
                        .thenMany(Flux.defer(() -> body.apply(new Transaction(connection, options.statementTimeout(),
                                dialect)))),
                connection -> Mono.from(connection.commitTransaction())
                        .onErrorResume(e -> discard(connection).then(Mono.error(SqlErrors.map(e, "COMMIT",
                                options.statementTimeout()))))
                        .then(release(connection)),
                (connection, error) -> rollback(connection),
                connection -> dialect == Dialect.POSTGRESQL ? cancelAndRollback(connection) : discard(connection));
    }

    private static Mono<Void> rollback(Connection connection) {
        return Mono.from(connection.rollbackTransaction())
                .then(release(connection))
                .onErrorResume(e -> discard(connection));
    }

    /**
     * A cancelled transaction may be in the middle of a statement, which would hold its locks (and the
     * ROLLBACK behind it) until it ends: stop it on the server first. (On MariaDB a cancelled statement may
     * still be sent after a ROLLBACK, and so run outside the transaction: there the connection is closed
     * instead, and the server rolls the transaction back.)
     */
    private static Mono<Void> cancelAndRollback(Connection connection) {
        return cancelRunningStatement(connection).then(rollback(connection));
    }

    /**
     * Runs {@code sql} once per parameter row, in one transaction, {@link #DEFAULT_BATCH_CHUNK} rows per batch
     * (the seed's {@code batch_insert_users}); emits the rows affected. All or nothing.
     */
    public Mono<Long> batch(String sql, Publisher<Object[]> rows) {
        return batch(sql, rows, DEFAULT_BATCH_CHUNK);
    }

    public Mono<Long> batch(String sql, Publisher<Object[]> rows, int chunkSize) {
        Checks.notNull(sql, "sql");
        Checks.notNull(rows, "rows");
        Checks.positive(chunkSize, "chunkSize");
        return inTransaction(tx -> Flux.from(rows).buffer(chunkSize)
                        .concatMap((List<Object[]> chunk) -> tx.executeBatch(sql, chunk)))
                .reduce(0L, Long::sum);
    }

    // --------------------------------------------------------------------------------------- LISTEN / NOTIFY

    /**
     * {@code LISTEN channel} on a connection of its own (outside the pool): every {@code NOTIFY} on the channel,
     * in the order the server sent them, for as long as the {@code Flux} is subscribed. When the connection is
     * lost it reconnects (backing off from 100 ms to 5 s), listens again and emits a
     * {@link SqlNotification.Gap}: notifications sent meanwhile were missed. Cancelling closes the connection,
     * which ends the {@code LISTEN}. Never completes by itself.
     */
    public Flux<SqlNotification> listen(String channel) {
        Checks.notNull(channel, "channel");
        String listen = "LISTEN " + quoteIdentifier(channel);
        if (dialect != Dialect.POSTGRESQL) {
            return Flux.error(new UnsupportedOperationException("LISTEN/NOTIFY is PostgreSQL's; " + display
                    + " does not have it"));
        }
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
                    .onErrorMap(e -> SqlErrors.map(e, listen, options.statementTimeout()));
            // The notification stream ends, or fails, when the connection is lost: listen again.
            return session
                    .repeatWhen(ends -> ends.concatMap(end -> Mono.delay(LISTEN_BACKOFF_FIRST)))
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, LISTEN_BACKOFF_FIRST).maxBackoff(LISTEN_BACKOFF_MAX)
                            .filter(Failures::isTransient)
                            .doBeforeRetry(signal -> log.warn("LISTEN {} on {} lost its connection ({}); listening again",
                                    channel, display, signal.failure().toString())));
        });
    }

    /** {@code NOTIFY channel, payload} ({@code pg_notify}), on a pooled connection. */
    public Mono<Void> notify(String channel, String payload) {
        Checks.notNull(channel, "channel");
        Checks.notNull(payload, "payload");
        if (dialect != Dialect.POSTGRESQL) {
            return Mono.error(new UnsupportedOperationException("LISTEN/NOTIFY is PostgreSQL's; " + display
                    + " does not have it"));
        }
        return query("SELECT pg_notify($1, $2)", channel, payload).then();
    }

    /** {@code name} as a quoted SQL identifier: in double quotes, inner double quotes doubled. */
    static String quoteIdentifier(String name) {
        Checks.isTrue(!name.isEmpty() && name.indexOf('\0') < 0, () -> "not a valid channel name: '" + name + "'");
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    // ---------------------------------------------------------------------------------------------- upkeep

    /** A snapshot of the pool. */
    public SqlPoolStats stats() {
        return pool.getMetrics()
                .map(m -> new SqlPoolStats(m.acquiredSize(), m.idleSize(), m.pendingAcquireSize(), options.maxSize()))
                .orElse(new SqlPoolStats(0, 0, 0, options.maxSize()));
    }

    /** A round trip ({@code SELECT 1}) on a pooled connection: its duration. */
    public Mono<Duration> health() {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return query("SELECT 1").then(Mono.fromCallable(() -> Duration.ofNanos(System.nanoTime() - start)));
        });
    }

    public SqlOptions options() {
        return options;
    }

    /** {@link #close(Duration)} waiting up to 10 seconds. */
    @Override
    public Mono<Void> close() {
        return close(Duration.ofSeconds(10));
    }

    /**
     * Stops lending connections (new calls fail with {@link IllegalStateException}), waits up to {@code grace}
     * for the ones lent out to come back, then closes the pool. Idempotent.
     */
    public Mono<Void> close(Duration grace) {
        Checks.notNegative(grace, "grace");
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            return Flux.interval(Duration.ZERO, Duration.ofMillis(20))
                    .takeUntil(tick -> stats().acquired() == 0)
                    .take(grace)
                    .then(pool.disposeLater());
        });
    }

    @Override
    public String toString() {
        return "Database[" + display + (closed.get() ? ", closed]" : "]");
    }
}
