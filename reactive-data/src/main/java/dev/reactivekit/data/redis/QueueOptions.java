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
 *   <li><b>maxAttempts</b> ({@link #DEFAULT_MAX_ATTEMPTS}, 5): how many times a job reported failed
 *       ({@link Job#fail}) runs in all before it is parked with the dead jobs ({@link RedisQueue#dead()}).</li>
 *   <li><b>retryDelay</b> ({@link #DEFAULT_RETRY_DELAY}, 1 s) and <b>maxRetryDelay</b>
 *       ({@link #DEFAULT_MAX_RETRY_DELAY}, 1 min): a failed job waits {@code retryDelay} before its second
 *       attempt, doubling for each one after, never more than {@code maxRetryDelay}.</li>
 * </ul>
 * {@code build()} checks that {@code retryDelay} is at most {@code maxRetryDelay}.
 */
public final class QueueOptions {

    /** A dead consumer's jobs go back to the queue 30 seconds after its last heartbeat. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** An idle consumer asks the server again every 2 seconds. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(2);
    /** A failed job runs 5 times in all, then is parked with the dead jobs. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** A failed job's first retry waits 1 second. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
    /** No retry waits more than 1 minute. */
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofMinutes(1);

    private static final QueueOptions DEFAULTS = builder().build();

    private final Duration visibilityTimeout;
    private final Duration pollTimeout;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;

    private QueueOptions(Builder b) {
        this.visibilityTimeout = b.visibilityTimeout;
        this.pollTimeout = b.pollTimeout;
        this.maxAttempts = b.maxAttempts;
        this.retryDelay = b.retryDelay;
        this.maxRetryDelay = b.maxRetryDelay;
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
        return builder().visibilityTimeout(visibilityTimeout).pollTimeout(pollTimeout).maxAttempts(maxAttempts)
                .retryDelay(retryDelay).maxRetryDelay(maxRetryDelay);
    }

    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    public Duration pollTimeout() {
        return pollTimeout;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration retryDelay() {
        return retryDelay;
    }

    public Duration maxRetryDelay() {
        return maxRetryDelay;
    }

    /** The wait before attempt {@code attempt + 1} of a job whose attempt {@code attempt} (from 1) failed. */
    public Duration retryDelayAfter(int attempt) {
        Checks.positive(attempt, "attempt");
        long millis = retryDelay.toMillis();
        for (int i = 1; i < attempt && millis < maxRetryDelay.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxRetryDelay.toMillis()));
    }

    @Override
    public String toString() {
        return "QueueOptions[visibilityTimeout=" + visibilityTimeout + ", pollTimeout=" + pollTimeout
                + ", maxAttempts=" + maxAttempts + ", retryDelay=" + retryDelay + ", maxRetryDelay=" + maxRetryDelay + "]";
    }

    /** Settings for {@link QueueOptions}; each setter checks its value, naming it. Not thread-safe. */
    public static final class Builder {

        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration retryDelay = DEFAULT_RETRY_DELAY;
        private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;

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

        /** At least 1: 1 parks a job with the dead ones at its first failure (default 5). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Checks.positive(maxAttempts, "maxAttempts");
            return this;
        }

        /** At least 1 ms (default 1 s). */
        public Builder retryDelay(Duration retryDelay) {
            Checks.positive(retryDelay, "retryDelay");
            Checks.isTrue(retryDelay.toMillis() >= 1, () -> "retryDelay must be at least 1 ms, was " + retryDelay);
            this.retryDelay = retryDelay;
            return this;
        }

        /** At least 1 ms (default 1 min). */
        public Builder maxRetryDelay(Duration maxRetryDelay) {
            Checks.positive(maxRetryDelay, "maxRetryDelay");
            Checks.isTrue(maxRetryDelay.toMillis() >= 1, () -> "maxRetryDelay must be at least 1 ms, was " + maxRetryDelay);
            this.maxRetryDelay = maxRetryDelay;
            return this;
        }

        public QueueOptions build() {
            Checks.isTrue(retryDelay.compareTo(maxRetryDelay) <= 0,
                    () -> "retryDelay (" + retryDelay + ") must not exceed maxRetryDelay (" + maxRetryDelay + ")");
            return new QueueOptions(this);
        }
    }
}
