package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * A Redis restart mid-run, on an embedded server of the test's own (never the machine's shared one, so these
 * tests are skipped when {@code REACTIVEKIT_REDIS_URL} is set).
 */
class RedisRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestRedis.Embedded server;
    private RedisStore<String> redis;

    @BeforeEach
    void start() {
        assumeFalse(TestRedis.external(), "restart tests run only against an embedded Redis");
        server = TestRedis.Embedded.start();
        redis = RedisStore.connect(server.url()).block(WAIT);
    }

    @AfterEach
    void stop() {
        if (redis != null) {
            redis.close().block(WAIT);
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void commandsFailFastWhileDownAndWorkAgainAfterTheRestart() {
        redis.set("k", "before").block(WAIT);
        server.stop();
        // While the server is down every command fails at once (nothing is buffered), with a clear error.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        assertThat(Poll.until(() -> {
            try {
                redis.set("k", "during").block(WAIT);
                return false;
            } catch (RedisUnavailableException e) {
                failure.set(e);
                return true;
            }
        })).isTrue();
        assertThat(failure.get()).hasMessageStartingWith("Redis SET k failed: ");
        long start = System.nanoTime();
        StepVerifier.create(redis.incr("n")).expectError(RedisUnavailableException.class).verify(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("rejected, not queued until a timeout")
                .isLessThan(redis.options().commandTimeout());

        server.startAgain();
        assertThat(Poll.until(() -> {
            try {
                return redis.set("k", "after").thenReturn(true).block(WAIT);
            } catch (RedisUnavailableException e) {
                return false;
            }
        }, WAIT)).as("reconnected").isTrue();
        StepVerifier.create(redis.get("k")).expectNext("after").verifyComplete();
    }

    @Test
    void aReadIssuedWhileDownIsRetriedByThePolicyUntilTheServerIsBack() {
        RedisStore<String> patient = RedisStore.connect(server.url(), RedisOptions.builder()
                .policy(Policy.builder().retry(RetryPolicy.fixed(Duration.ofMillis(200)).maxAttempts(100)).build())
                .build()).block(WAIT);
        try {
            patient.set("k", "v").block(WAIT);
            server.stop();
            assertThat(Poll.until(() -> failsNow(patient))).as("the store noticed").isTrue();
            StepVerifier.create(patient.exists("k"))
                    .then(() -> Schedulers.boundedElastic().schedule(server::startAgain, 300,
                            java.util.concurrent.TimeUnit.MILLISECONDS))
                    .expectNext(0L) // the embedded server keeps nothing across a restart
                    .expectComplete()
                    .verify(WAIT);
        } finally {
            patient.close().block(WAIT);
        }
    }

    @Test
    void subscribersGetAGapThenMessagesAgainAfterTheRestart() {
        List<PubSubEvent<String>> events = new CopyOnWriteArrayList<>();
        Disposable subscription = redis.subscribe("news").subscribe(events::add);
        try {
            assertThat(Poll.until(() -> publish("before") == 1)).isTrue();
            assertThat(Poll.until(() -> events.size() == 1)).isTrue();
            server.stop();
            server.startAgain();
            // Resubscribed on its own once the connection is back; the gap says messages may be lost.
            assertThat(Poll.until(() -> publish("after") == 1, WAIT)).as("resubscribed").isTrue();
            assertThat(Poll.until(() -> events.size() == 3)).isTrue();
            assertThat(events.get(0)).isEqualTo(new PubSubEvent.Message<>("news", null, "before"));
            assertThat(events.get(1)).isInstanceOfSatisfying(PubSubEvent.Gap.class,
                    gap -> assertThat(gap.channel()).isEqualTo("news"));
            assertThat(events.get(2)).isEqualTo(new PubSubEvent.Message<>("news", null, "after"));
        } finally {
            subscription.dispose();
        }
    }

    private long publish(String message) {
        try {
            return redis.publish("news", message).block(WAIT);
        } catch (RedisUnavailableException e) {
            return -1;
        }
    }

    private static boolean failsNow(RedisStore<String> store) {
        try {
            store.lettuce().ping().block(WAIT);
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
