package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/** {@code MULTI}/{@code EXEC} and optimistic {@code WATCH} transactions on dedicated connections. */
class RedisTransactionsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisTransactionsTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    @Test
    void multiRunsTheCommandsTogetherAndEmitsTheirResultsInOrder() {
        List<Mono<Long>> counters = new ArrayList<>();
        StepVerifier.create(redis.multi(tx -> {
                    tx.set(p + "a", "1");
                    counters.add(tx.incr(p + "n"));
                    counters.add(tx.incrby(p + "n", 10));
                    tx.hset(p + "h", Map.of("f", "v"));
                    tx.get(p + "a");
                }))
                .expectNext(java.util.Arrays.asList(null, 1L, 11L, 1L, "1"))
                .verifyComplete();
        StepVerifier.create(counters.get(1)).expectNext(11L).verifyComplete();
        StepVerifier.create(redis.multi(tx -> { })).expectNext(List.of()).verifyComplete();
    }

    @Test
    void aCommandFailingInsideTheTransactionFailsItAloneAndTheMonoNamesIt() {
        redis.set(p + "str", "x").block(WAIT);
        StepVerifier.create(redis.multi(tx -> {
                    tx.set(p + "before", "1");
                    tx.lpush(p + "str", "wrong type");
                    tx.set(p + "after", "2");
                }))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisWrongTypeException.class)
                        .hasMessageStartingWith("Redis LPUSH (2 of 3 in a transaction) " + p + "str failed: WRONGTYPE"))
                .verify(WAIT);
        // Redis does not roll back: the other two were applied.
        StepVerifier.create(redis.mget(p + "before", p + "after"))
                .expectNext(Map.of(p + "before", "1", p + "after", "2"))
                .verifyComplete();
    }

    @Test
    void aWatchedKeyChangedBeforeExecAbortsTheTransactionAndNothingIsApplied() {
        String stock = p + "stock";
        redis.set(stock, "10").block(WAIT);
        Mono<List<Object>> decrement = redis.watch(List.of(stock), redis.get(stock)
                // Another client changes the key between WATCH and EXEC.
                .flatMap(value -> redis.set(stock, "100").thenReturn(value))
                .map(value -> tx -> tx.set(stock, String.valueOf(Long.parseLong(value) - 1))));
        StepVerifier.create(decrement)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisTransactionAbortedException.class)
                        .hasMessageContaining(stock)
                        .satisfies(x -> assertThat(dev.reactivekit.core.Failures.isTransient(x)).isTrue()))
                .verify(WAIT);
        StepVerifier.create(redis.get(stock)).expectNext("100").verifyComplete();
    }

    @Test
    void concurrentWatchedIncrementsAllLandWhenRetried() {
        String counter = p + "watched-counter";
        redis.set(counter, "0").block(WAIT);
        AtomicInteger attempts = new AtomicInteger();
        Mono<List<Object>> increment = redis.watch(List.of(counter), Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return redis.get(counter);
                }).map(value -> tx -> tx.set(counter, String.valueOf(Long.parseLong(value) + 1))))
                .retryWhen(Retry.max(100).filter(RedisTransactionAbortedException.class::isInstance));
        StepVerifier.create(Flux.range(0, 20).flatMap(i -> increment, 8).count())
                .expectNext(20L)
                .verifyComplete();
        StepVerifier.create(redis.get(counter)).expectNext("20").verifyComplete();
        assertThat(attempts.get()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void anEmptyPlanWritesNothing() {
        String key = p + "maybe";
        StepVerifier.create(redis.watch(List.of(key), Mono.empty())).expectNext(List.of()).verifyComplete();
        StepVerifier.create(redis.exists(key)).expectNext(0L).verifyComplete();
        StepVerifier.create(redis.stats())
                .assertNext(stats -> assertThat(stats.blocking().inUse()).isZero())
                .verifyComplete();
    }

    @Test
    void aFailingPlanReleasesTheConnectionAndFailsWithItsError() {
        StepVerifier.create(redis.watch(List.of(p + "k"), Mono.error(new IllegalStateException("no plan"))))
                .verifyErrorMessage("no plan");
        StepVerifier.create(redis.stats())
                .assertNext(stats -> assertThat(stats.blocking().inUse()).isZero())
                .verifyComplete();
        StepVerifier.create(redis.multi(tx -> tx.set(p + "k", "v")).then(redis.get(p + "k")))
                .expectNext("v").verifyComplete();
    }
}
