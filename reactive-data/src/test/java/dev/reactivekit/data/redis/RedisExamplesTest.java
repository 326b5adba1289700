package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The README's Redis examples (the seed's redis.asyncio snippets), run against the test server. */
class RedisExamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisExamplesTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    @Test
    void redisOperations() {
        redis.set(p + "key", "value", SetOptions.expireIn(Duration.ofHours(1))).block(WAIT);
        StepVerifier.create(redis.get(p + "key")).expectNext("value").verifyComplete();
        StepVerifier.create(redis.set(p + "lock", "me", SetOptions.expireIn(Duration.ofSeconds(30)).ifAbsent()))
                .expectNext(true).verifyComplete();

        redis.hset(p + "user:1", Map.of("name", "Alice", "age", "30")).block(WAIT);
        StepVerifier.create(redis.hgetall(p + "user:1")).expectNext(Map.of("name", "Alice", "age", "30"))
                .verifyComplete();

        redis.lpush(p + "queue", "task1", "task2").block(WAIT);
        StepVerifier.create(redis.rpop(p + "queue")).expectNext("task1").verifyComplete();
        StepVerifier.create(redis.brpop(p + "queue", Duration.ofSeconds(5))).expectNext("task2").verifyComplete();

        StepVerifier.create(redis.sadd(p + "seen", "https://example.com/")).expectNext(1L).verifyComplete();
        StepVerifier.create(redis.sadd(p + "seen", "https://example.com/")).expectNext(0L).verifyComplete();
    }

    @Test
    void batchSetAndGetMultipleKeys() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(p + "session:user1", "active");
        data.put(p + "session:user2", "inactive");
        data.put(p + "session:user3", "active");
        List<Object> results = redis.pipeline(batch -> data.forEach(batch::set)).block(WAIT);
        assertThat(results).hasSize(3).containsOnlyNulls(); // SET answers OK: nothing to report
        StepVerifier.create(redis.mget(p + "session:user1", p + "session:user2", p + "session:user3"))
                .expectNext(data)
                .verifyComplete();
    }

    @Test
    void publishAndListen() {
        List<Object> payloads = new CopyOnWriteArrayList<>();
        Disposable listening = redis.subscribe(p + "channel")
                .ofType(PubSubEvent.Message.class)
                .subscribe(message -> payloads.add(message.payload()));
        try {
            assertThat(Poll.until(() -> redis.publish(p + "channel", "hello").block(WAIT) == 1)).isTrue();
            assertThat(Poll.until(() -> !payloads.isEmpty())).isTrue();
            assertThat(payloads.get(0)).isEqualTo("hello");
        } finally {
            listening.dispose();
        }
    }

    @Test
    void jobQueueAndStreams() {
        RedisQueue<String> emails = redis.queue(p + "emails",
                QueueOptions.builder().visibilityTimeout(Duration.ofSeconds(30)).build());
        emails.enqueue("{\"to\":\"ada@example.com\"}").block(WAIT);
        List<String> sent = new CopyOnWriteArrayList<>();
        StepVerifier.create(emails.consume()
                        .concatMap(job -> Mono.fromRunnable(() -> sent.add(job.payload())).then(job.ack()))
                        .take(1))
                .expectNext(true)
                .verifyComplete();
        assertThat(sent).containsExactly("{\"to\":\"ada@example.com\"}");

        redis.xgroupCreate(p + "orders", "billing").block(WAIT);
        redis.xadd(p + "orders", Map.of("id", "42")).block(WAIT);
        StepVerifier.create(redis.readGroup(p + "orders", "billing", "worker-1", 100, Duration.ofSeconds(1))
                        .concatMap(entry -> entry.ack().thenReturn(entry.fields()))
                        .take(1))
                .expectNext(Map.of("id", "42"))
                .verifyComplete();
    }
}
