package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Pub/sub messages are delivered off the event loop that the store's commands share: a subscriber that takes
 * its time does not hold up a single command.
 */
class RedisPubSubDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aBusySubscriberDoesNotStallTheStoresCommands() {
        RedisStore<String> redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        String channel = TestRedis.prefix(RedisPubSubDeliveryTest.class) + "busy";
        AtomicBoolean busy = new AtomicBoolean();
        AtomicBoolean released = new AtomicBoolean();
        AtomicReference<String> thread = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Disposable subscriber = redis.subscribe(channel).subscribe(message -> {
            busy.set(true);
            thread.set(Thread.currentThread().getName());
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // Works hard (without blocking) until the test lets it go; not Thread.onSpinWait, which BlockHound
            // counts as blocking.
            while (!released.get() && System.nanoTime() < until) {
                busy.lazySet(true);
            }
        }, failed::set);
        try {
            assertThat(Poll.until(() -> {
                redis.publish(channel, "work").block(WAIT);
                return busy.get();
            })).as("the subscriber is busy").isTrue();
            // stats() runs a task on the event loop of every connection, the subscription's included.
            assertThat(redis.stats().block(Duration.ofSeconds(3))).as("every event loop is free meanwhile")
                    .isNotNull();
            assertThat(redis.ping().block(Duration.ofSeconds(3))).as("a command completes meanwhile").isNotNull();
            assertThat(busy.get() && !released.get()).as("the subscriber is still busy").isTrue();
            assertThat(thread.get()).as("delivered on the parallel scheduler").startsWith("parallel-");
            assertThat(failed.get()).as("the subscription did not fail").isNull();
        } finally {
            released.set(true);
            subscriber.dispose();
            redis.close().block(WAIT);
        }
    }
}
