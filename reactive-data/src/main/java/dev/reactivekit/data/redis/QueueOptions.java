package dev.reactivekit.data.redis;

import dev.reactivekit.core.internal.Checks;
import java.time.Duration;

/**
 * Options of a {@link RedisQueue}; immutable.
 * <ul>
 *   <li><b>visibilityTimeout</b> (30 s): how long after a consumer stopped heart-beating its unacknowledged jobs
 *       go back to the queue. A live consumer renews its heartbeat every third of it, however long a job
 *       takes; so this bounds the delay before a dead consumer's jobs run again, not the time a job may take.</li>
 *   <li><b>pollTimeout</b> (2 s): how long one {@code BLMOVE} waits before it is sent again. Idle consumers cost
 *       one command per poll.</li>
 * </ul>
 */
public final class QueueOptions {

    private static final QueueOptions DEFAULTS = new QueueOptions(Duration.ofSeconds(30), Duration.ofSeconds(2));

    private final Duration visibilityTimeout;
    private final Duration pollTimeout;

    private QueueOptions(Duration visibilityTimeout, Duration pollTimeout) {
        this.visibilityTimeout = visibilityTimeout;
        this.pollTimeout = pollTimeout;
    }

    public static QueueOptions defaults() {
        return DEFAULTS;
    }

    /** At least 30 ms, so a third of it is a usable heartbeat period. */
    public QueueOptions visibilityTimeout(Duration visibilityTimeout) {
        Checks.positive(visibilityTimeout, "visibilityTimeout");
        Checks.isTrue(visibilityTimeout.toMillis() >= 30,
                () -> "visibilityTimeout must be at least 30 ms, was " + visibilityTimeout);
        return new QueueOptions(visibilityTimeout, pollTimeout);
    }

    /** At least 10 ms (Redis waits in steps of milliseconds). */
    public QueueOptions pollTimeout(Duration pollTimeout) {
        Checks.positive(pollTimeout, "pollTimeout");
        Checks.isTrue(pollTimeout.toMillis() >= 10, () -> "pollTimeout must be at least 10 ms, was " + pollTimeout);
        return new QueueOptions(visibilityTimeout, pollTimeout);
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
}
