package dev.reactivekit.data.sql;

import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.internal.Checks;
import java.time.Duration;

/**
 * How a {@link Database} pools and times its connections; immutable, built with {@link #builder()} (or changed
 * from existing options with {@link #toBuilder()}). The defaults guard against the failure modes r2dbc users file
 * most:
 * <ul>
 *   <li><b>minConnections</b> {@value #DEFAULT_MIN_CONNECTIONS}, <b>maxConnections</b>
 *       {@value #DEFAULT_MAX_CONNECTIONS} (asyncpg's {@code min_size}/{@code max_size});</li>
 *   <li><b>maxWait</b> {@link #DEFAULT_MAX_WAIT} (5 s): a caller waits at most this long for a free connection,
 *       then fails with a {@link dev.reactivekit.core.PoolTimeoutException} naming the pool size (r2dbc-pool
 *       waits forever);</li>
 *   <li><b>maxWaiters</b> {@value #DEFAULT_MAX_WAITERS}: at most that many callers wait for a connection; the
 *       next fails at once with a {@link dev.reactivekit.core.PoolTimeoutException} naming the setting (r2dbc-pool
 *       has no bound);</li>
 *   <li><b>maxIdleTime</b> 10 min and a finite <b>maxLifeTime</b> of 30 min, evicted in the background, so
 *       connections a firewall or a failover silently dropped do not linger;</li>
 *   <li>every connection is <b>validated on acquire</b>: by default locally (the driver checks that the
 *       connection is still open, no round trip), or with {@link Builder#validationQuery} by running that query,
 *       so the pool recovers by itself after a database restart;</li>
 *   <li><b>statementTimeout</b> (asyncpg's {@code command_timeout}; none by default): enforced by the server,
 *       which cancels the statement, reported as an {@link dev.reactivekit.core.OperationTimeoutException};</li>
 *   <li><b>connectTimeout</b> {@link #DEFAULT_CONNECT_TIMEOUT} (5 s), TCP keep-alive on;</li>
 *   <li><b>policy</b> {@link #DEFAULT_POLICY}: applied to every statement outside a transaction, its retry only
 *       to reads (plain {@code SELECT}s, retried only if they failed before their first row, and only when the
 *       connection broke), never to writes, which may have been applied before the connection broke.</li>
 * </ul>
 */
public final class SqlOptions {

    /** Connections opened at start and kept open. */
    public static final int DEFAULT_MIN_CONNECTIONS = 1;
    /** Connections open at most. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10;
    /** The longest a caller waits for a free connection: 5 seconds. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
    /** Callers waiting for a connection at once, at most. */
    public static final int DEFAULT_MAX_WAITERS = 1_000;
    /** An idle connection is closed after 10 minutes. */
    public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofMinutes(10);
    /** A connection is replaced after 30 minutes, idle or not (when next returned to the pool). */
    public static final Duration DEFAULT_MAX_LIFE_TIME = Duration.ofMinutes(30);
    /** Connecting gives up after 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Retries reads up to 3 times, from 50 ms, when the connection broke or the server could not be reached
     * ({@link SqlUnavailableException}: a restart, a terminated backend); never a statement timeout or a full
     * pool, which another attempt would only make worse.
     */
    public static final Policy DEFAULT_POLICY = Policy.builder()
            .retry(RetryPolicy.exponential(Duration.ofMillis(50)).maxAttempts(3).maxDelay(Duration.ofSeconds(1))
                    .retryOn(SqlUnavailableException.class::isInstance))
            .build();

    private static final SqlOptions DEFAULTS = builder().build();

    /** The settings, frozen: a copy of the builder that made them, never handed out. */
    private final Builder settings;

    private SqlOptions(Builder b) {
        this.settings = b.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static SqlOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return settings.copy();
    }

    public int minConnections() {
        return settings.minConnections;
    }

    public int maxConnections() {
        return settings.maxConnections;
    }

    /** The longest a caller waits for a free connection. */
    public Duration maxWait() {
        return settings.maxWait;
    }

    /** Callers that may wait for a connection at once. */
    public int maxWaiters() {
        return settings.maxWaiters;
    }

    public Duration maxIdleTime() {
        return settings.maxIdleTime;
    }

    public Duration maxLifeTime() {
        return settings.maxLifeTime;
    }

    /** The query run to validate a connection on acquire, or {@code null} for the driver's local check. */
    public String validationQuery() {
        return settings.validationQuery;
    }

    /** The server-side statement timeout, or {@code null} for none. */
    public Duration statementTimeout() {
        return settings.statementTimeout;
    }

    public Duration connectTimeout() {
        return settings.connectTimeout;
    }

    /** The policy statements outside transactions run under; its retry applies to reads only. */
    public Policy policy() {
        return settings.policy;
    }

    @Override
    public String toString() {
        return "SqlOptions[minConnections=" + minConnections() + ", maxConnections=" + maxConnections()
                + ", maxWait=" + maxWait() + ", maxWaiters=" + maxWaiters() + ", maxIdleTime=" + maxIdleTime()
                + ", maxLifeTime=" + maxLifeTime() + ", validationQuery=" + validationQuery()
                + ", statementTimeout=" + statementTimeout() + ", connectTimeout=" + connectTimeout()
                + ", policy=" + policy() + "]";
    }

    /** Settings for {@link SqlOptions}; each setter checks its value, naming it. Not thread-safe. */
    public static final class Builder implements Cloneable {

        // Every field holds an immutable value, so copy() (a field-by-field clone) needs no list of fields.
        private int minConnections = DEFAULT_MIN_CONNECTIONS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private int maxWaiters = DEFAULT_MAX_WAITERS;
        private Duration maxIdleTime = DEFAULT_MAX_IDLE_TIME;
        private Duration maxLifeTime = DEFAULT_MAX_LIFE_TIME;
        private String validationQuery;
        private Duration statementTimeout;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Policy policy = DEFAULT_POLICY;

        private Builder() {
        }

        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /**
         * The policy every statement outside a transaction runs under, all of it: its per-attempt timeout,
         * deadline, concurrency limit and circuit breaker for every statement, its retry for reads only (plain
         * {@code SELECT}s). Transactions are not retried: their bodies run once. Default {@link #DEFAULT_POLICY}.
         */
        public Builder policy(Policy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        /** Connections opened at start and kept open (asyncpg {@code min_size}; default 1). */
        public Builder minConnections(int minConnections) {
            this.minConnections = Checks.notNegative(minConnections, "minConnections");
            return this;
        }

        /** Connections at most (asyncpg {@code max_size}; default 10). */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = Checks.positive(maxConnections, "maxConnections");
            return this;
        }

        /** The longest a caller waits for a free connection (default 5 s). */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Checks.positive(maxWait, "maxWait");
            return this;
        }

        /** Callers that may wait for a connection at once (> 0; default 1,000); more fail at once. */
        public Builder maxWaiters(int maxWaiters) {
            this.maxWaiters = Checks.positive(maxWaiters, "maxWaiters");
            return this;
        }

        /** An idle connection is closed after this long (default 10 min). */
        public Builder maxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = Checks.positive(maxIdleTime, "maxIdleTime");
            return this;
        }

        /** A connection is replaced after this long (default 30 min). */
        public Builder maxLifeTime(Duration maxLifeTime) {
            this.maxLifeTime = Checks.positive(maxLifeTime, "maxLifeTime");
            return this;
        }

        /** A query run on every acquire to validate the connection ({@code null}: the driver's local check). */
        public Builder validationQuery(String validationQuery) {
            this.validationQuery = validationQuery;
            return this;
        }

        /** Server-side statement timeout (asyncpg {@code command_timeout}); {@code null} for none. */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout == null ? null : Checks.positive(statementTimeout,
                    "statementTimeout");
            return this;
        }

        /** Connecting gives up after this long (default 5 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** The options; fails naming the settings when {@code minConnections} is above {@code maxConnections}. */
        public SqlOptions build() {
            Checks.isTrue(minConnections <= maxConnections,
                    () -> "minConnections " + minConnections + " is above maxConnections " + maxConnections);
            return new SqlOptions(this);
        }
    }
}
