package dev.reactivekit.data.sql;

import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.AuthenticationException;
import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.ConfigurationException;
import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.PoolStats;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.internal.Drain;
import dev.reactivekit.core.internal.Durations;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.data.internal.JdkWarmUp;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import org.mariadb.r2dbc.MariadbConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.Wrapped;
import reactor.pool.PoolAcquirePendingLimitException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A pool of database connections (asyncpg's {@code Pool}, aiomysql's, aiosqlite's connection), over r2dbc-pool
 * with r2dbc-postgresql, r2dbc-mariadb, or sqlite-jdbc offloaded to a scheduler of its own (see
 * {@link #connect(String, SqlOptions)}). The same API on all three; {@code $1, $2} parameters on all three
 * (rewritten to {@code ?} for MariaDB and SQLite). Each call takes a connection for as long as its stream runs
 * and gives it back; {@link #inTransaction} holds one for the whole transaction.
 *
 * <pre>{@code
 * Database db = Database.connect("postgresql://user:password@localhost/mydb",
 *         SqlOptions.builder().minConnections(5).maxConnections(20).statementTimeout(Duration.ofSeconds(60)).build()).block();
 * Flux<Row> rows = db.query("SELECT * FROM users WHERE id = $1", 1);
 * Mono<Row> row = db.queryOne("SELECT * FROM users LIMIT 1");
 * Mono<Long> inserted = db.execute("INSERT INTO users(name, email) VALUES($1, $2)", "Alice", "alice@example.com");
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Every statement outside a transaction runs under {@link SqlOptions#policy()}: its retry for reads
 *       (plain {@code SELECT}s) only, the rest of it for all. Transactions run once.</li>
 *   <li>A {@link dev.reactivekit.core.Deadline} in the subscriber's context caps every wait: a statement whose
 *       deadline has passed fails before it takes a connection; the wait for a connection ends at the deadline;
 *       the time left becomes the statement's server-side timeout (the server stops it just before the
 *       deadline, so the connection stays clean), and it fails with the deadline's
 *       {@link dev.reactivekit.core.DeadlineExceededException}.</li>
 *   <li>A query cancelled mid-stream does not hand a dirty connection back: the connection is closed and the
 *       pool opens a fresh one when needed.</li>
 *   <li>Errors are typed and name the statement, never the parameter values: {@link SqlException} (with the
 *       SQLSTATE), {@link ConstraintViolationException} (with the constraint's name and kind),
 *       {@link SqlUnavailableException}, {@link dev.reactivekit.core.OperationTimeoutException} (the statement
 *       timeout, enforced by the server), {@link PoolTimeoutException} (no connection free within the acquire
 *       timeout), {@link ClientClosedException} (after {@link #close()}); a parameter count that does not fit or a
 *       bare {@code null} is refused at call time with an {@link IllegalArgumentException} naming it.</li>
 * </ul>
 * Thread-safe.
 */
public final class Database extends SqlSession implements AsyncCloseable {


    /** How long a PostgreSQL cancel request may take before it is given up. */
    private static final Duration CANCEL_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** Rows per statement batch in {@link #batch}. */
    public static final int DEFAULT_BATCH_CHUNK = 1_000;

    /** Tasks that may wait for a SQLite connection's worker (each connection runs one at a time). */
    private static final int SQLITE_QUEUED_TASKS = 10_000;

    /** Every connection, or on SQLite the one writer. */
    private final ConnectionPool pool;
    /** SQLite's read-only connections for plain {@code SELECT}s outside transactions; {@code null} elsewhere. */
    private final ConnectionPool readers;
    private final ConnectionFactory direct;
    private final SqlOptions options;
    private final String display;
    /** Releases what the pools do not own (SQLite's offload scheduler and in-memory anchor). */
    private final Mono<Void> releaseResources;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Policy readPolicy;
    private final Policy writePolicy;

    private Database(ConnectionPool pool, ConnectionPool readers, ConnectionFactory direct, Dialect dialect,
            SqlOptions options, String display, Mono<Void> releaseResources) {
        super(options.statementTimeout(), dialect);
        this.pool = pool;
        this.readers = readers;
        this.direct = direct;
        this.options = options;
        this.display = display;
        this.releaseResources = releaseResources;
        this.readPolicy = options.policy();
        this.writePolicy = options.policy().toBuilder().retry(RetryPolicy.none()).build();
    }

    /** {@link #connect(String, SqlOptions)} with the default options. */
    public static Mono<Database> connect(String url) {
        return connect(url, SqlOptions.defaults());
    }

    /**
     * Opens a pool on {@code url}: {@code postgresql://[user[:password]@]host[:port]/database[?schema=...]}
     * ({@code postgres://} too), {@code mariadb://[user[:password]@]host[:port]/database} ({@code mysql://}),
     * or {@code sqlite:path/to/file.db} ({@code sqlite:///absolute/path}, {@code sqlite::memory:}). Emits the
     * database once {@link SqlOptions#minConnections()} connections (at least one, to prove the server answers) are
     * open. Fails, the same way on every backend, with a {@link ConfigurationException} naming a malformed URL (its
     * password masked) or a database that does not exist, an {@link AuthenticationException} when the server
     * refuses the login (both permanent: no policy retries them), or a {@link SqlUnavailableException} when the
     * server cannot be reached (or the SQLite file opened; transient).
     *
     * <h2>SQLite</h2>
     * SQLite has no asynchronous driver: a SQLite {@code Database} runs sqlite-jdbc on a bounded offload
     * scheduler of its own (threads named {@code reactivekit-sqlite}), each connection on one worker, never on
     * the caller's thread; offloaded, not natively asynchronous, exactly like aiosqlite. It holds a single
     * writer connection, which runs every statement but plain {@code SELECT}s and every transaction (SQLite
     * lets one writer in at a time; one connection means writers queue here instead of failing with
     * {@code SQLITE_BUSY}), and for a file up to {@code maxConnections - 1} read-only connections that run
     * {@code SELECT}s beside it (WAL mode). An in-memory database has the writer only.
     */
    public static Mono<Database> connect(String url, SqlOptions options) {
        Checks.notNull(url, "url");
        Checks.notNull(options, "options");
        return Mono.defer(() -> {
            SqlUrl parsed;
            try {
                parsed = SqlUrl.parse(url);
            } catch (IllegalArgumentException e) {
                return Mono.error(new ConfigurationException(e.getMessage(), e));
            }
            if (parsed.dialect() == Dialect.SQLITE) {
                return connectSqlite(parsed, options);
            }
            ConnectionFactory factory = parsed.dialect() == Dialect.POSTGRESQL
                    ? new PostgresqlConnectionFactory(DriverSettings.postgresql(parsed, options))
                    : MariadbConnectionFactory.from(DriverSettings.mariadb(parsed, options));
            ConnectionPool pool = new ConnectionPool(DriverSettings.pool(factory, parsed.display(), options.minConnections(),
                    options.maxConnections(), options));
            Database database = new Database(pool, null, factory, parsed.dialect(), options, parsed.display(),
                    Mono.empty());
            Mono<Void> ready = JdkWarmUp.networking()
                    .then(parsed.dialect() == Dialect.MARIADB ? JdkWarmUp.mariadbDriver() : Mono.empty());
            return database.open(ready);
        });
    }

    /** The writer (and, for a file, the readers) of a SQLite database; see {@link #connect(String, SqlOptions)}. */
    private static Mono<Database> connectSqlite(SqlUrl url, SqlOptions options) {
        boolean memory = SqlUrl.MEMORY.equals(url.database());
        int readerCount = memory ? 0 : options.maxConnections() - 1;
        Scheduler offload = Schedulers.newBoundedElastic(readerCount + 2, SQLITE_QUEUED_TASKS, "reactivekit-sqlite",
                60, true);
        // A shared-cache in-memory database lives as long as a connection to it: the anchor, held until close,
        // keeps it while the pool replaces the writer (after a cancel, say).
        String jdbcUrl = memory ? "jdbc:sqlite:file:reactivekit-" + UUID.randomUUID() + "?mode=memory&cache=shared"
                : "jdbc:sqlite:" + url.database();
        SqliteConnectionFactory writer = SqliteConnectionFactory.writer(jdbcUrl, !memory, options.maxWait(),
                offload, options.statementTimeout(), url.display());
        ConnectionPool writerPool = new ConnectionPool(DriverSettings.pool(writer, url.display() + " writer", 1, 1,
                options));
        ConnectionPool readerPool = readerCount == 0 ? null : new ConnectionPool(DriverSettings.pool(
                SqliteConnectionFactory.reader(jdbcUrl, options.maxWait(), offload, options.statementTimeout(),
                        url.display()),
                url.display() + " readers", Math.min(options.minConnections(), readerCount), readerCount, options));
        AtomicReference<Connection> anchor = new AtomicReference<>();
        Mono<Void> release = Mono.defer(() -> {
                    Connection held = anchor.getAndSet(null);
                    return held == null ? Mono.<Void>empty() : Mono.from(held.close());
                })
                .onErrorResume(e -> Mono.empty())
                .then(Mono.fromRunnable(offload::dispose));
        Database database = new Database(writerPool, readerPool, writer, Dialect.SQLITE, options, url.display(),
                release);
        return database.open(memory ? writer.create().doOnNext(anchor::set).then() : Mono.empty());
    }

    /**
     * After {@code ready}: proves a connection opens, then opens the pools' minimum; on failure releases
     * everything and fails with a typed error naming the database.
     */
    private Mono<Database> open(Mono<Void> ready) {
        return ready
                .then(Mono.from(pool.create()))
                .flatMap(connection -> Mono.from(connection.close()))
                .then(pool.warmup())
                .then(readers == null ? Mono.empty() : readers.warmup())
                .thenReturn(this)
                .onErrorResume(e -> disposeAll().onErrorResume(x -> Mono.empty())
                        .then(Mono.error(DriverSettings.connectError(display, e))))
                .doOnCancel(() -> disposeAll().subscribe(x -> { }, e -> { }));
    }

    private Mono<Void> disposeAll() {
        return quietly(pool.disposeLater())
                .then(readers == null ? Mono.empty() : quietly(readers.disposeLater()))
                .then(releaseResources);
    }

    /**
     * A pool's disposal, where a connection the server had already closed (a terminated backend, a restart)
     * fails to say goodbye on its closed channel: that connection is gone anyway, so closing goes on.
     */
    private static Mono<Void> quietly(Mono<Void> dispose) {
        return dispose.onErrorResume(Database::closedAlready, e -> Mono.empty());
    }

    private static boolean closedAlready(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof java.nio.channels.ClosedChannelException
                    || e.getClass().getName().equals("reactor.netty.channel.AbortedException")) {
                return true;
            }
        }
        return false;
    }

    // -------------------------------------------------------------------------------------------- connections

    /**
     * A pooled connection for {@code work}, under the policy (with its retry for reads only), within the caller's
     * deadline: the policy honours it for the wait for a connection, and {@link StatementDeadline} turns what is
     * left into the statement's server-side timeout.
     */
    @Override
    <T> Flux<T> withConnection(boolean read, String sql, Function<Connection, Publisher<T>> work) {
        ConnectionPool from = read && readers != null ? readers : pool;
        Flux<T> attempt = Flux.usingWhen(acquire(from, sql), connection -> statement(connection, sql, work),
                Database::release, (connection, error) -> release(connection), Database::discard);
        return (read ? readPolicy : writePolicy).apply("SQL " + SqlErrors.describe(sql), attempt);
    }

    private Mono<Connection> acquire(ConnectionPool from, String sql) {
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new ClientClosedException("Database " + display,
                        sql == null ? null : "SQL " + SqlErrors.describe(sql)));
            }
            return DeliveredConnection.of(Mono.from(from.create()))
                    .onErrorMap(Database::isAcquireTimeout, e -> {
                        int size = maxConnections(from);
                        return new PoolTimeoutException(poolName(from) + ": no connection free within "
                                + Durations.format(options.maxWait()) + ", all " + size + " in use (maxConnections "
                                + size + ", maxWait " + Durations.format(options.maxWait()) + ")", size,
                                options.maxWait(), e);
                    })
                    .onErrorMap(PoolAcquirePendingLimitException.class, e -> new PoolTimeoutException(poolName(from)
                            + ": " + options.maxWaiters() + " callers already waiting for a connection"
                            + " (maxWaiters " + options.maxWaiters() + ")", maxConnections(from), Duration.ZERO, e));
        });
    }

    private String poolName(ConnectionPool from) {
        return "connection pool of " + display + (dialect != Dialect.SQLITE ? ""
                : from == readers ? " (readers)" : " (the single writer)");
    }

    private static int maxConnections(ConnectionPool pool) {
        return pool.getMetrics().map(m -> m.getMaxAllocatedSize()).orElse(0);
    }

    private static boolean isAcquireTimeout(Throwable error) {
        return error instanceof TimeoutException || error instanceof R2dbcTimeoutException
                || error.getCause() instanceof TimeoutException;
    }

    static Mono<Void> release(Connection connection) {
        return Mono.from(connection.close());
    }

    /**
     * After a cancel the connection may be mid-statement: close the real connection, then give the pooled one
     * back; validation on the next acquire sees it closed and the pool opens a fresh one. Never handed to the
     * next caller dirty. (No cancel request is sent first: r2dbc-postgresql 1.1.1 leaks the buffer of the error
     * reply that then arrives on a closing connection. The server ends the abandoned statement itself.)
     */
    static Mono<Void> discard(Connection connection) {
        return Mono.from(real(connection).close()).onErrorResume(e -> Mono.empty())
                .then(release(connection))
                .onErrorResume(e -> Mono.empty());
    }

    /** The driver's connection under the pool's wrapper. */
    static Connection real(Connection connection) {
        return connection instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof Connection c ? c : connection;
    }

    /** Asks the server to cancel what the connection runs now, if anything; bounded, errors ignored. */
    static Mono<Void> cancelRunningStatement(Connection connection) {
        if (!(real(connection) instanceof PostgresqlConnection postgres)) {
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
        return Deadline.honor(Transactions.run(acquire(pool, null), isolation, body, options.statementTimeout(),
                dialect));
    }

    /**
     * Runs {@code sql} once per parameter row, in one transaction, {@link #DEFAULT_BATCH_CHUNK} rows per batch
     * (the seed's {@code batch_insert_users}); emits the rows affected. All or nothing.
     *
     * <p>How it runs: on PostgreSQL a plain {@code INSERT INTO t (c1, ..., cn) VALUES ($1, ..., $n)} streams as
     * one {@code COPY ... FROM STDIN} (chunks whose values have no COPY text form, see {@link #copyRecords}, run
     * as INSERTs in the same transaction); any other {@code INSERT ... VALUES (...)} runs as multi-row INSERTs, a
     * chunk per statement; anything else as the driver's batch.
     */
    public Mono<Long> batch(String sql, Publisher<Object[]> rows) {
        return batch(sql, rows, DEFAULT_BATCH_CHUNK);
    }

    /** {@link #batch(String, Publisher)} with {@code chunkSize} rows per batch (per COPY data message). */
    public Mono<Long> batch(String sql, Publisher<Object[]> rows, int chunkSize) {
        Checks.notNull(sql, "sql");
        Checks.notNull(rows, "rows");
        Checks.positive(chunkSize, "chunkSize");
        String copy = dialect == Dialect.POSTGRESQL ? CopyText.copyFor(sql) : null;
        return inTransaction(tx -> {
            Flux<List<Object[]>> chunks = Flux.from(rows).buffer(chunkSize);
            if (copy == null) {
                return chunks.concatMap(chunk -> tx.executeBatch(sql, chunk));
            }
            int width = SqlParameters.count(sql);
            String what = "SQL " + SqlErrors.describe(sql);
            // Runs of chunks COPY can write go as one COPY each; the chunks between them as INSERTs.
            return chunks.windowUntilChanged(CopyText::encodable)
                    .concatMap(run -> run.switchOnFirst((first, same) -> first.hasValue()
                            && CopyText.encodable(first.get())
                            ? tx.copy(copy, same, width, what)
                            : same.concatMap(chunk -> tx.executeBatch(sql, chunk))));
        }).reduce(0L, Long::sum);
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
            return Flux.error(new ConfigurationException("LISTEN/NOTIFY is PostgreSQL's; " + display
                    + " does not have it", null));
        }
        return Notifications.listen(direct, channel, listen, display, options.statementTimeout());
    }

    /** {@code NOTIFY channel, payload} ({@code pg_notify}), on a pooled connection. */
    public Mono<Void> notify(String channel, String payload) {
        Checks.notNull(channel, "channel");
        Checks.notNull(payload, "payload");
        if (dialect != Dialect.POSTGRESQL) {
            return Mono.error(new ConfigurationException("LISTEN/NOTIFY is PostgreSQL's; " + display
                    + " does not have it", null));
        }
        return query("SELECT pg_notify($1, $2)", channel, payload).then();
    }

    /** {@code name} as a quoted SQL identifier: in double quotes, inner double quotes doubled. */
    static String quoteIdentifier(String name) {
        Checks.isTrue(!name.isEmpty() && name.indexOf('\0') < 0, () -> "not a valid SQL identifier: '" + name + "'");
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    // ---------------------------------------------------------------------------------------------- upkeep

    /** A snapshot of the pool (on SQLite, of the writer and the readers together). */
    public PoolStats poolStats() {
        PoolStats all = poolStats(pool);
        if (readers == null) {
            return all;
        }
        PoolStats read = poolStats(readers);
        return new PoolStats(all.inUse() + read.inUse(), all.idle() + read.idle(), all.waiting() + read.waiting(),
                all.max() + read.max());
    }

    private static PoolStats poolStats(ConnectionPool pool) {
        return pool.getMetrics()
                .map(m -> new PoolStats(m.acquiredSize(), m.idleSize(), m.pendingAcquireSize(),
                        m.getMaxAllocatedSize()))
                .orElse(new PoolStats(0, 0, 0, 0));
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
     * Stops lending connections (new calls fail with {@link ClientClosedException}), waits up to {@code grace}
     * for the ones lent out to come back, then closes the pool. Idempotent.
     */
    public Mono<Void> close(Duration grace) {
        Checks.notNegative(grace, "grace");
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            return Drain.until(() -> poolStats().inUse() == 0, grace).then(disposeAll());
        });
    }

    @Override
    public String toString() {
        return "Database[" + display + (closed.get() ? ", closed]" : "]");
    }
}
