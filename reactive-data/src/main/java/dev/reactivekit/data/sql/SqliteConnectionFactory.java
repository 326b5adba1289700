package dev.reactivekit.data.sql;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Opens {@link SqliteConnection}s on the database's offload scheduler: the one writer, or read-only readers
 * ({@code PRAGMA query_only}, so a statement sent to one by mistake fails instead of writing beside the writer).
 *
 * <p>Every connection: foreign keys enforced, a busy timeout (how long to wait for a lock another process
 * holds). A file database runs in WAL mode with {@code synchronous=NORMAL}, so readers never wait for the
 * writer and a commit costs no fsync of the main file (durable across a process crash; the last transactions
 * may be lost on a power cut, SQLite's documented trade-off for WAL).
 */
final class SqliteConnectionFactory implements ConnectionFactory {

    private final String jdbcUrl;
    private final Properties properties;
    private final boolean queryOnly;
    private final Scheduler offload;
    private final Duration statementTimeout;
    private final String display;

    private SqliteConnectionFactory(String jdbcUrl, Properties properties, boolean queryOnly, Scheduler offload,
            Duration statementTimeout, String display) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.queryOnly = queryOnly;
        this.offload = offload;
        this.statementTimeout = statementTimeout;
        this.display = display;
    }

    static SqliteConnectionFactory writer(String jdbcUrl, boolean file, Duration busyTimeout, Scheduler offload,
            Duration statementTimeout, String display) {
        SQLiteConfig config = config(busyTimeout);
        if (file) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        }
        return new SqliteConnectionFactory(jdbcUrl, config.toProperties(), false, offload, statementTimeout, display);
    }

    static SqliteConnectionFactory reader(String jdbcUrl, Duration busyTimeout, Scheduler offload,
            Duration statementTimeout, String display) {
        return new SqliteConnectionFactory(jdbcUrl, config(busyTimeout).toProperties(), true, offload,
                statementTimeout, display);
    }

    private static SQLiteConfig config(Duration busyTimeout) {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        return config;
    }

    @Override
    public Mono<SqliteConnection> create() {
        return Mono.fromCallable(this::open).subscribeOn(offload);
    }

    private SqliteConnection open() {
        SQLiteConnection jdbc = null;
        try {
            jdbc = JDBC.createConnection(jdbcUrl, properties);
            if (queryOnly) {
                try (var statement = jdbc.createStatement()) {
                    statement.execute("PRAGMA query_only = 1");
                }
            }
            return new SqliteConnection(jdbc, offload, statementTimeout, display);
        } catch (SQLException e) {
            if (jdbc != null) {
                try {
                    jdbc.close();
                } catch (SQLException ignored) {
                    // Already failing.
                }
            }
            throw SqliteErrors.translate(e, null, false);
        }
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return () -> "SQLite";
    }
}
