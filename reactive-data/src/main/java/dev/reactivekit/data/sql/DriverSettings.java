package dev.reactivekit.data.sql;

import dev.reactivekit.core.AuthenticationException;
import dev.reactivekit.core.ConfigurationException;
import dev.reactivekit.data.internal.Causes;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import java.util.Map;
import org.mariadb.r2dbc.MariadbConnectionConfiguration;

/**
 * How a {@link Database} sets up its drivers and its pools from a URL and {@link SqlOptions}, and how it names
 * a failure to connect, the same on every backend.
 */
final class DriverSettings {

    private DriverSettings() {
    }

    static PostgresqlConnectionConfiguration postgresql(SqlUrl url, SqlOptions options) {
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

    static MariadbConnectionConfiguration mariadb(SqlUrl url, SqlOptions options) {
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

    static ConnectionPoolConfiguration pool(ConnectionFactory factory, String name, int minConnections,
            int maxConnections, SqlOptions options) {
        ConnectionPoolConfiguration.Builder pool = ConnectionPoolConfiguration
                .builder(factory)
                .name("reactivekit-" + name.replaceAll("[^A-Za-z0-9_.-]", "_"))
                .initialSize(minConnections)
                .minIdle(minConnections)
                .maxSize(maxConnections)
                .maxAcquireTime(options.maxWait())
                .maxCreateConnectionTime(options.connectTimeout())
                .maxIdleTime(options.maxIdleTime())
                .maxLifeTime(options.maxLifeTime())
                .backgroundEvictionInterval(Duration.ofSeconds(30))
                // r2dbc-pool lets any number of callers wait: bound them, as every wait in the toolkit is.
                .customizer(builder -> builder.maxPendingAcquire(options.maxWaiters()));
        if (options.validationQuery() != null) {
            pool.validationQuery(options.validationQuery());
        } else {
            pool.validationDepth(ValidationDepth.LOCAL);
        }
        return pool.build();
    }

    /**
     * Why connecting failed, typed the same on every backend: the drivers wrap the server's refusal differently
     * (r2dbc-mariadb in a transient resource exception), so the whole cause chain is read.
     */
    static Throwable connectError(String display, Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof R2dbcException r) {
                String state = r.getSqlState() == null ? "" : r.getSqlState();
                String detail = SqlErrors.redactValues(String.valueOf(r.getMessage()));
                // 28xxx: invalid authorization (PostgreSQL 28P01/28000; MariaDB 28000, error 1045)
                if (e instanceof R2dbcPermissionDeniedException || state.startsWith("28") || r.getErrorCode() == 1045) {
                    return new AuthenticationException("cannot log in to " + display + ": " + detail
                            + " (SQLSTATE " + state + ")", error);
                }
                // 3D000: no such database (PostgreSQL); MariaDB's error 1049 "Unknown database"
                if (state.equals("3D000") || r.getErrorCode() == 1049) {
                    return new ConfigurationException("cannot connect to " + display + ": " + detail
                            + " (SQLSTATE " + state + ")", error);
                }
            }
        }
        return new SqlUnavailableException("cannot connect to " + display + ": " + Causes.rootMessage(error), error);
    }
}
