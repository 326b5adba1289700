package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Pipelining and pub/sub against a real Redis. */
class RedisPipelineAndPubSubTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisPipelineAndPubSubTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    @Test
    void pipelineReturnsEveryResultInOrder() {
        StepVerifier.create(redis.pipeline(batch -> {
                    batch.set(p + "a", "1");
                    batch.get(p + "a");
                    batch.get(p + "missing");
                    batch.incr(p + "n");
                    batch.incrby(p + "n", 10);
                    batch.set(p + "a", "2", SetOptions.none().ifAbsent());
                    batch.hset(p + "h", Map.of("f", "v"));
                    batch.hget(p + "h", "f");
                    batch.lpush(p + "l", "x");
                    batch.rpush(p + "l", "y");
                    batch.sadd(p + "s", "m");
                    batch.sadd(p + "s", "m");
                    batch.expire(p + "a", Duration.ofMinutes(1));
                    batch.publish(p + "nobody-listens", "hi");
                    batch.zadd(p + "z", 2.5, "m");
                    batch.lrange(p + "l", 0, -1);
                    batch.del(p + "a");
                }))
                .assertNext(results -> assertThat(results).containsExactly(
                        null, "1", null, 1L, 11L, false, 1L, "v", 1L, 2L, 1L, 0L, true, 0L, true, List.of("x", "y"), 1L))
                .verifyComplete();
    }

    @Test
    void eachCommandOfABatchHasItsOwnTypedResultOnceTheBatchIsAnswered() {
        List<Mono<Object>> each = new ArrayList<>();
        StepVerifier.create(redis.pipeline(batch -> {
                    each.add(batch.incrby(p + "typed", 5).cast(Object.class));
                    each.add(batch.get(p + "typed").cast(Object.class));
                    each.add(batch.get(p + "typed-missing").cast(Object.class));
                    each.add(batch.smembers(p + "typed-set").cast(Object.class));
                }))
                .expectNextCount(1)
                .verifyComplete();
        StepVerifier.create(each.get(0)).expectNext(5L).verifyComplete();
        StepVerifier.create(each.get(1)).expectNext("5").verifyComplete();
        StepVerifier.create(each.get(2)).verifyComplete();
        StepVerifier.create(each.get(3)).expectNext(java.util.Set.of()).verifyComplete();
    }

    @Test
    void aPipelineOfTenThousandSetsLandsEveryValue() {
        int n = 10_000;
        StepVerifier.create(redis.pipeline(batch -> IntStream.range(0, n).forEach(i -> batch.set(p + "bulk:" + i, "v" + i))))
                .assertNext(results -> assertThat(results).hasSize(n).containsOnlyNulls())
                .verifyComplete();
        String[] keys = IntStream.range(0, n).mapToObj(i -> p + "bulk:" + i).toArray(String[]::new);
        StepVerifier.create(redis.mget(keys))
                .assertNext(values -> {
                    assertThat(values).hasSize(n);
                    assertThat(values.get(p + "bulk:9999")).isEqualTo("v9999");
                    assertThat(new ArrayList<>(values.keySet())).containsExactly(keys);
                })
                .verifyComplete();
    }

    @Test
    void aFailingCommandFailsThePipelineNamingItButTheOthersRun() {
        redis.hset(p + "hash", "f", "v").block(WAIT);
        StepVerifier.create(redis.pipeline(batch -> {
                    batch.set(p + "before", "1");
                    batch.incr(p + "hash");
                    batch.set(p + "after", "2");
                }))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisWrongTypeException.class)
                        .hasMessageStartingWith("Redis INCR (2 of 3 in a pipeline) " + p + "hash failed: WRONGTYPE"))
                .verify(WAIT);
        StepVerifier.create(redis.mget(p + "before", p + "after"))
                .expectNext(Map.of(p + "before", "1", p + "after", "2"))
                .verifyComplete();
    }

    @Test
    void anEmptyPipelineSendsNothing() {
        StepVerifier.create(redis.pipeline(batch -> { })).expectNext(List.of()).verifyComplete();
    }

    @Test
    void subscribeDeliversMessagesAndPublishCountsReceivers() {
        String channel = p + "news";
        StepVerifier.create(redis.subscribe(channel).take(2))
                .then(() -> awaitSubscribers(channel, 1))
                .then(() -> assertThat(redis.publish(channel, "one").block(WAIT)).isEqualTo(1L))
                .then(() -> redis.publish(channel, "two").block(WAIT))
                .expectNext(new PubSubEvent.Message<>(channel, null, "one"))
                .expectNext(new PubSubEvent.Message<>(channel, null, "two"))
                .verifyComplete();
        assertThat(Poll.until(() -> subscribers(channel) == 0)).as("unsubscribed after cancel").isTrue();
        StepVerifier.create(redis.publish(channel, "nobody")).expectNext(0L).verifyComplete();
    }

    @Test
    void closingTheStoreEndsItsSubscriptionsWithAClosedErrorAndUnsubscribes() {
        RedisStore<String> own = RedisStore.connect(TestRedis.url()).block(WAIT);
        String channel = p + "closing";
        StepVerifier.create(own.subscribe(channel))
                .then(() -> awaitSubscribers(channel, 1))
                .then(() -> redis.publish(channel, "before").block(WAIT))
                .expectNext(new PubSubEvent.Message<>(channel, null, "before"))
                .then(() -> own.close().block(WAIT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ClientClosedException.class)
                        .hasMessageContaining("SUBSCRIBE " + channel))
                .verify(WAIT);
        assertThat(Poll.until(() -> subscribers(channel) == 0)).as("its connection is closed").isTrue();
        StepVerifier.create(own.subscribe(channel)).expectError(ClientClosedException.class)
                .verify(WAIT);
    }

    @Test
    void psubscribeNamesThePatternAndTheChannel() {
        String pattern = p + "events.*";
        // Published until it arrives: the server's pattern count cannot tell this subscription from another
        // client's (a shared Redis may have other pattern subscribers), so it is no sign this one is active.
        reactor.core.Disposable publishing = Flux.interval(Duration.ofMillis(50))
                .concatMap(t -> redis.publish(p + "events.login", "ada"), 1)
                .subscribe();
        try {
            StepVerifier.create(redis.psubscribe(pattern).take(1))
                    .expectNext(new PubSubEvent.Message<>(p + "events.login", pattern, "ada"))
                    .expectComplete()
                    .verify(WAIT);
        } finally {
            publishing.dispose();
        }
    }

    @Test
    void twentyThousandMessagesArriveAllAndInOrder() {
        // 20,000 rather than more: under the paranoid leak detector every buffer records its stack, which makes
        // Lettuce ten times slower than in production (100,000 took 22 s to 30 s here and timed out on CI once).
        String channel = p + "firehose";
        int n = 20_000;
        List<String> received = new ArrayList<>(n);
        Disposable subscription = redis.subscribe(channel)
                .cast(PubSubEvent.Message.class)
                .map(m -> (String) m.payload())
                .take(n)
                .subscribe(received::add);
        try {
            awaitSubscribers(channel, 1);
            // Published in order: pipelines of 1,000, one after the other (commands issued concurrently from
            // several threads may reach the connection in any order).
            Flux.range(0, n / 1_000)
                    .concatMap(batch -> redis.pipeline(b -> IntStream.range(batch * 1_000, (batch + 1) * 1_000)
                            .forEach(i -> b.publish(channel, Integer.toString(i)))))
                    .blockLast(WAIT);
            assertThat(Poll.until(() -> received.size() == n, WAIT)).as("received %s of %s", received.size(), n)
                    .isTrue();
        } finally {
            subscription.dispose();
        }
        for (int i = 0; i < n; i++) {
            if (!received.get(i).equals(Integer.toString(i))) {
                throw new AssertionError("message " + i + " was " + received.get(i));
            }
        }
    }

    @Test
    void aSubscriberThatFallsTooFarBehindFailsWithALimitError() {
        String channel = p + "slow";
        RedisStore<String> small = RedisStore.connect(TestRedis.url(),
                RedisOptions.builder().subscriberBuffer(16).build()).block(WAIT);
        try {
            StepVerifier.create(small.subscribe(channel), 0)
                    .then(() -> awaitSubscribers(channel, 1))
                    .then(() -> Flux.range(0, 100).concatMap(i -> redis.publish(channel, "m" + i)).blockLast(WAIT))
                    .thenRequest(100)
                    // What was accepted is delivered, then the error: nothing buffered is lost.
                    .expectNextCount(16)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                            .hasMessageContaining("fell more than 16 messages behind (subscriberBuffer)"))
                    .verify(WAIT);
        } finally {
            small.close().block(WAIT);
        }
    }

    private static long subscribers(String channel) {
        return redis.lettuce().pubsubNumsub(channel).block(WAIT).getOrDefault(channel, 0L);
    }

    private static void awaitSubscribers(String channel, long count) {
        assertThat(Poll.until(() -> subscribers(channel) == count))
                .as("%s subscribers on %s", count, channel).isTrue();
    }

}
