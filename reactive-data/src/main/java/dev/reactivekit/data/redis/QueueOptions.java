package dev.reactivekit.data.redis;

import dev.reactivekit.core.internal.Checks;
import java.time.Duration;

/**
 * Options of a {@link RedisQueue}; immutable, built with {@link #builder()}.
 * <ul>
 *   <li><b>visibilityTimeout</b> ({@link #DEFAULT_VISIBILITY_TIMEOUT}, 30 s): how long after a consumer stopped
 *       heart-beating its unacknowledged jobs go back to the queue. A live consumer renews its heartbeat every
 *       third of it, however long a job takes; so this bounds the delay before a dead consumer's jobs run again,
 *       not the time a job may take.</li>
 *   <li><b>pollTimeout</b> ({@link #DEFAULT_POLL_TIMEOUT}, 2 s): how long one {@code BLMOVE} waits before it is
 *       sent again. Idle consumers cost one command per poll.</li>
 * </ul>
 */
public final class QueueOptions {

    /** A dead consumer's jobs go back to the queue 30 seconds after its last heartbeat. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** An idle consumer asks the server again every 2 seconds. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(2);

    private static final QueueOptions DEFAULTS = builder().build();

    private final Duration visibilityTimeout;
    private final Duration pollTimeout;

    private QueueOptions(Builder b) {
        this.visibilityTimeout = b.visibilityTimeout;
        this.pollTimeout = b.pollTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static QueueOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return builder().visibilityTimeout(visibilityTimeout).pollTimeout(pollTimeout);
    }

    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    public Duration pollTimeout() {
        return pollTimeout;
    }

    @Override
    public String toString() {
        return "QueueOptions[visibilityTimeout=" + visibilityTimeout + ", pollTimeout=" + pollTimeout + "]";
    }

    /** Settings for {@link QueueOptions}; each setter checks its value, naming it. Not thread-safe. */
    public static final class Builder {

        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;

        private Builder() {
        }

        /** At least 30 ms, so a third of it is a usable heartbeat period (default 30 s). */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            Checks.positive(visibilityTimeout, "visibilityTimeout");
            Checks.isTrue(visibilityTimeout.toMillis() >= 30,
                    () -> "visibilityTimeout must be at least 30 ms, was " + visibilityTimeout);
            this.visibilityTimeout = visibilityTimeout;
            return this;
        }

        /** At least 10 ms, Redis waiting in steps of milliseconds (default 2 s). */
        public Builder pollTimeout(Duration pollTimeout) {
            Checks.positive(pollTimeout, "pollTimeout");
            Checks.isTrue(pollTimeout.toMillis() >= 10,
                    () -> "pollTimeout must be at least 10 ms, was " + pollTimeout);
            this.pollTimeout = pollTimeout;
            return this;
        }

        public QueueOptions build() {
            return new QueueOptions(this);
        }
    }
}
