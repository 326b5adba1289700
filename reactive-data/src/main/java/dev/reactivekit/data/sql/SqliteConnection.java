package dev.reactivekit.data.sql;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One SQLite JDBC connection behind the R2DBC SPI, so that pooling, transactions and statements run through the
 * same code as the network backends. SQLite has no asynchronous API: every JDBC call runs on this connection's
 * own worker of the database's bounded offload scheduler, one at a time, never on the caller's thread (what
 * aiosqlite does with a thread per connection).
 *
 * <p>{@link #close()} interrupts a running statement first ({@code sqlite3_interrupt}, safe from any thread), so
 * a cancelled query does not hold its connection until it would have ended.
 */
final class SqliteConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(SqliteConnection.class);

    private final SQLiteConnection jdbc;
    private final Scheduler worker;
    /** Set per statement when a caller's deadline is nearer (see StatementDeadline), then put back. */
    private volatile Duration statementTimeout;
    private final String display;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean inTransaction;

    SqliteConnection(SQLiteConnection jdbc, Scheduler offload, Duration statementTimeout, String display) {
        this.jdbc = jdbc;
        this.worker = Schedulers.single(offload);
        this.statementTimeout = statementTimeout;
        this.display = display;
    }

    SQLiteConnection jdbc() {
        return jdbc;
    }

    Scheduler worker() {
        return worker;
    }

    /** Runs {@code work} on this connection's worker; its SQL errors become R2DBC ones. */
    <T> Mono<T> call(Callable<T> work) {
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new R2dbcNonTransientResourceException("the SQLite connection to " + display
                        + " is closed"));
            }
            return Mono.fromCallable(() -> {
                try {
                    return work.call();
                } catch (SQLException e) {
                    throw SqliteErrors.translate(e, jdbc, false);
                }
            }).subscribeOn(worker);
        });
    }

    private Mono<Void> exec(String sql) {
        return call(() -> {
            try (var statement = jdbc.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }

    /**
     * Marks a statement as running until the returned handle is disposed, and arms the statement timeout: when it
     * fires, the statement is interrupted and {@link Execution#timedOut()} tells.
     */
    Execution start() {
        running.incrementAndGet();
        return new Execution();
    }

    final class Execution implements Disposable {

        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean timedOut;
        private final Disposable timer;

        private Execution() {
            Duration limit = statementTimeout;
            timer = limit == null ? null : Schedulers.parallel().schedule(() -> {
                if (!done.get()) {
                    timedOut = true;
                    interrupt();
                }
            }, limit.toNanos(), TimeUnit.NANOSECONDS);
        }

        boolean timedOut() {
            return timedOut;
        }

        @Override
        public void dispose() {
            if (done.compareAndSet(false, true)) {
                running.decrementAndGet();
                if (timer != null) {
                    timer.dispose();
                }
            }
        }

        @Override
        public boolean isDisposed() {
            return done.get();
        }
    }

    /** Stops the running statement ({@code sqlite3_interrupt}: no lock taken, safe from any thread). */
    private void interrupt() {
        try {
            jdbc.getDatabase().interrupt();
        } catch (SQLException e) {
            log.debug("interrupting a statement on {} failed", display, e);
        }
    }

    @Override
    public Mono<Void> beginTransaction() {
        // IMMEDIATE: take the write lock now, so a transaction never fails half-way on a lock it cannot upgrade.
        return exec("BEGIN IMMEDIATE").doOnSuccess(v -> inTransaction = true);
    }

    /**
     * SQLite runs every transaction serializable, whatever isolation is asked for (the SQL standard allows a
     * stronger level than the one requested).
     */
    @Override
    public Mono<Void> beginTransaction(TransactionDefinition definition) {
        return beginTransaction();
    }

    @Override
    public Mono<Void> commitTransaction() {
        return Mono.defer(() -> inTransaction ? exec("COMMIT").doOnSuccess(v -> inTransaction = false) : Mono.empty());
    }

    @Override
    public Mono<Void> rollbackTransaction() {
        return Mono.defer(() -> inTransaction ? exec("ROLLBACK").doOnSuccess(v -> inTransaction = false)
                : Mono.empty());
    }

    @Override
    public Mono<Void> createSavepoint(String name) {
        return exec("SAVEPOINT " + Database.quoteIdentifier(name));
    }

    @Override
    public Mono<Void> releaseSavepoint(String name) {
        return exec("RELEASE SAVEPOINT " + Database.quoteIdentifier(name));
    }

    @Override
    public Mono<Void> rollbackTransactionToSavepoint(String name) {
        return exec("ROLLBACK TO SAVEPOINT " + Database.quoteIdentifier(name));
    }

    @Override
    public SqliteStatement createStatement(String sql) {
        return new SqliteStatement(this, sql);
    }

    /** Not used: {@link Database} sends its statements one at a time, and a SQLite batch would gain nothing. */
    @Override
    public Batch createBatch() {
        throw new UnsupportedOperationException("SQLite connections here run statements one at a time");
    }

    @Override
    public boolean isAutoCommit() {
        return !inTransaction;
    }

    @Override
    public Mono<Void> setAutoCommit(boolean autoCommit) {
        return autoCommit ? commitTransaction() : Mono.defer(() -> inTransaction ? Mono.empty() : beginTransaction());
    }

    @Override
    public ConnectionMetadata getMetadata() {
        return new ConnectionMetadata() {
            @Override
            public String getDatabaseProductName() {
                return "SQLite";
            }

            @Override
            public String getDatabaseVersion() {
                try {
                    return jdbc.libversion();
                } catch (SQLException e) {
                    return "unknown";
                }
            }
        };
    }

    @Override
    public IsolationLevel getTransactionIsolationLevel() {
        return IsolationLevel.SERIALIZABLE;
    }

    /** Accepted and ignored: SQLite's transactions are always serializable. */
    @Override
    public Mono<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
        return Mono.empty();
    }

    /** How long a statement waits for another process's lock (SQLite's busy timeout). */
    @Override
    public Mono<Void> setLockWaitTimeout(Duration timeout) {
        return call(() -> {
            jdbc.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return null;
        });
    }

    @Override
    public Mono<Void> setStatementTimeout(Duration timeout) {
        return Mono.fromRunnable(() -> statementTimeout = timeout == null || timeout.isZero() ? null : timeout);
    }

    @Override
    public Mono<Boolean> validate(ValidationDepth depth) {
        if (depth == ValidationDepth.LOCAL || closed.get()) {
            return Mono.just(!closed.get());
        }
        return call(() -> jdbc.isValid(0)).onErrorReturn(false);
    }

    /** Interrupts a running statement, then closes the JDBC connection on its worker. Idempotent. */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            if (running.get() > 0) {
                interrupt();
            }
            return Mono.<Void>fromCallable(() -> {
                        jdbc.close();
                        return null;
                    })
                    .subscribeOn(worker)
                    .onErrorMap(SQLException.class, e -> SqliteErrors.translate(e, null, false))
                    .doFinally(signal -> worker.dispose());
        });
    }

    @Override
    public String toString() {
        return "SqliteConnection[" + display + (closed.get() ? ", closed]" : "]");
    }
}
