package dev.reactivekit.data.sql;

import dev.reactivekit.core.internal.Checks;
import java.time.Duration;

/**
 * How a {@link Database} pools and times its connections; immutable, built with {@link #builder()}. The defaults
 * guard against the failure modes r2dbc users file most:
 * <ul>
 *   <li><b>minSize</b> 1, <b>maxSize</b> 10 (asyncpg's {@code min_size}/{@code max_size});</li>
 *   <li><b>acquireTimeout</b> 5 s: a caller waits at most this long for a free connection, then fails with a
 *       {@link dev.reactivekit.core.PoolTimeoutException} naming the pool size (r2dbc-pool waits forever);</li>
 *   <li><b>maxIdleTime</b> 10 min and a finite <b>maxLifeTime</b> of 30 min, evicted in the background, so
 *       connections a firewall or a failover silently dropped do not linger;</li>
 *   <li>every connection is <b>validated on acquire</b> (a round trip, or {@link Builder#validationQuery}), so
 *       the pool recovers by itself after a database restart;</li>
 *   <li><b>statementTimeout</b> (asyncpg's {@code command_timeout}; none by default): enforced by the server,
 *       which cancels the statement, reported as an {@link dev.reactivekit.core.OperationTimeoutException};</li>
 *   <li><b>connectTimeout</b> 5 s, TCP keep-alive on.</li>
 * </ul>
 */
public final class SqlOptions {

    private static final SqlOptions DEFAULTS = builder().build();

    private final int minSize;
    private final int maxSize;
    private final Duration acquireTimeout;
    private final Duration maxIdleTime;
    private final Duration maxLifeTime;
    private final String validationQuery;
    private final Duration statementTimeout;
    private final Duration connectTimeout;

    private SqlOptions(Builder b) {
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.acquireTimeout = b.acquireTimeout;
        this.maxIdleTime = b.maxIdleTime;
        this.maxLifeTime = b.maxLifeTime;
        this.validationQuery = b.validationQuery;
        this.statementTimeout = b.statementTimeout;
        this.connectTimeout = b.connectTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SqlOptions defaults() {
        return DEFAULTS;
    }

    public int minSize() {
        return minSize;
    }

    public int maxSize() {
        return maxSize;
    }

    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    public Duration maxIdleTime() {
        return maxIdleTime;
    }

    public Duration maxLifeTime() {
        return maxLifeTime;
    }

    /** The query run to validate a connection on acquire, or {@code null} for the driver's own check. */
    public String validationQuery() {
        return validationQuery;
    }

    /** The server-side statement timeout, or {@code null} for none. */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public String toString() {
        return "SqlOptions[minSize=" + minSize + ", maxSize=" + maxSize + ", acquireTimeout=" + acquireTimeout
                + ", maxIdleTime=" + maxIdleTime + ", maxLifeTime=" + maxLifeTime + ", validationQuery="
                + validationQuery + ", statementTimeout=" + statementTimeout + ", connectTimeout=" + connectTimeout
                + "]";
    }

    public static final class Builder {

        private int minSize = 1;
        private int maxSize = 10;
        private Duration acquireTimeout = Duration.ofSeconds(5);
        private Duration maxIdleTime = Duration.ofMinutes(10);
        private Duration maxLifeTime = Duration.ofMinutes(30);
        private String validationQuery;
        private Duration statementTimeout;
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /** Connections opened at start and kept open (asyncpg {@code min_size}). */
        public Builder minSize(int minSize) {
            this.minSize = Checks.notNegative(minSize, "minSize");
            return this;
        }

        /** Connections at most (asyncpg {@code max_size}). */
        public Builder maxSize(int maxSize) {
            this.maxSize = Checks.positive(maxSize, "maxSize");
            return this;
        }

        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = Checks.positive(acquireTimeout, "acquireTimeout");
            return this;
        }

        public Builder maxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = Checks.positive(maxIdleTime, "maxIdleTime");
            return this;
        }

        public Builder maxLifeTime(Duration maxLifeTime) {
            this.maxLifeTime = Checks.positive(maxLifeTime, "maxLifeTime");
            return this;
        }

        /** A query run on every acquire to validate the connection ({@code null}: the driver's own check). */
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

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        public SqlOptions build() {
            Checks.isTrue(minSize <= maxSize, () -> "minSize " + minSize + " is above maxSize " + maxSize);
            return new SqlOptions(this);
        }
    }
}
