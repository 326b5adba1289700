package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * A consumer that dies mid-entry leaves it pending in its group; {@code XPENDING} shows it, and another consumer
 * takes it over with {@code XCLAIM} or {@code XAUTOCLAIM}, so no entry is lost.
 */
class RedisStreamRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisStreamRecoveryTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    @Test
    void anEntryHeldByAConsumerThatDiedIsClaimedByAnother() {
        String stream = p + "orders";
        redis.xgroupCreate(stream, "billing").block(WAIT);
        String id = redis.xadd(stream, Map.of("order", "42")).block(WAIT);

        // worker-1 takes the entry and dies before acknowledging it: its stream is cut off mid-entry, on its
        // own dedicated connection, as when its process is killed.
        Sinks.One<StreamEntry<String>> taken = Sinks.one();
        RedisStore<String> worker1 = RedisStore.connect(TestRedis.url()).block(WAIT);
        Disposable dying = worker1.readGroup(stream, "billing", "worker-1", 1, Duration.ofMillis(200))
                .subscribe(taken::tryEmitValue);
        assertThat(taken.asMono().block(WAIT).id()).isEqualTo(id);
        dying.dispose();
        worker1.close().block(WAIT);

        StepVerifier.create(redis.xpending(stream, "billing"))
                .expectNext(new PendingSummary(1, id, id, Map.of("worker-1", 1L)))
                .verifyComplete();
        StepVerifier.create(redis.xpending(stream, "billing", 10))
                .assertNext(pending -> assertThat(pending).singleElement().satisfies(entry -> {
                    assertThat(entry.id()).isEqualTo(id);
                    assertThat(entry.consumer()).isEqualTo("worker-1");
                    assertThat(entry.deliveries()).isEqualTo(1);
                }))
                .verifyComplete();

        // worker-2 takes over whatever has been idle long enough (here: any idle time at all).
        StepVerifier.create(redis.xautoclaim(stream, "billing", "worker-2", Duration.ZERO, "0-0", 10))
                .assertNext(claim -> {
                    assertThat(claim.isComplete()).isTrue();
                    assertThat(claim.entries()).singleElement().satisfies(entry -> {
                        assertThat(entry.id()).isEqualTo(id);
                        assertThat(entry.fields()).isEqualTo(Map.of("order", "42"));
                        assertThat(entry.group()).isEqualTo("billing");
                    });
                })
                .verifyComplete();
        StepVerifier.create(redis.xpending(stream, "billing", 10))
                .assertNext(pending -> assertThat(pending).singleElement().satisfies(entry -> {
                    assertThat(entry.consumer()).isEqualTo("worker-2");
                    assertThat(entry.deliveries()).isEqualTo(2);
                }))
                .verifyComplete();
        StepVerifier.create(redis.xreadgroup(stream, "billing", "worker-2", 10, "0")
                        .flatMap(mine -> mine.get(0).ack()))
                .expectNext(true)
                .verifyComplete();
        StepVerifier.create(redis.xpending(stream, "billing"))
                .expectNext(new PendingSummary(0, null, null, Map.of()))
                .verifyComplete();
    }

    @Test
    void xclaimTakesOnlyEntriesIdleLongEnoughAndXreadgroupReadsNewOnes() {
        String stream = p + "jobs";
        redis.xgroupCreate(stream, "g", "0").block(WAIT);
        StepVerifier.create(redis.xgroupCreate(stream, "g")).as("the group exists").expectNext(false).verifyComplete();
        String first = redis.xadd(stream, Map.of("n", "1")).block(WAIT);
        redis.xadd(stream, Map.of("n", "2")).block(WAIT);
        StepVerifier.create(redis.xreadgroup(stream, "g", "a", 1, ">"))
                .assertNext(entries -> assertThat(entries).extracting(StreamEntry::id).containsExactly(first))
                .verifyComplete();
        StepVerifier.create(redis.xclaim(stream, "g", "b", Duration.ofHours(1), first))
                .as("not idle for an hour: left with its consumer").expectNext(List.of()).verifyComplete();
        StepVerifier.create(redis.xclaim(stream, "g", "b", Duration.ZERO, first))
                .assertNext(entries -> assertThat(entries).extracting(StreamEntry::id).containsExactly(first))
                .verifyComplete();
        StepVerifier.create(redis.xrange(stream, "-", "+", 10))
                .assertNext(entries -> {
                    assertThat(entries).hasSize(2);
                    assertThat(entries.get(0).group()).isNull();
                })
                .verifyComplete();
        StepVerifier.create(redis.xdel(stream, first)).expectNext(1L).verifyComplete();
        StepVerifier.create(redis.xlen(stream)).expectNext(1L).verifyComplete();
    }

    @Test
    void xaddWithAMaximumLengthTrimsTheOldestEntries() {
        String stream = p + "chat";
        for (int i = 0; i < 300; i++) {
            redis.xadd(stream, Map.of("m", "message " + i), 50).block(WAIT);
        }
        // Trimming is approximate (~): whole nodes go, so a few more than 50 may stay, never all 300.
        StepVerifier.create(redis.xlen(stream))
                .assertNext(length -> assertThat(length).isBetween(50L, 200L))
                .verifyComplete();
    }

    @Test
    void ackingAnEntryReadWithoutAGroupIsRefusedAtOnce() {
        String stream = p + "plain";
        redis.xadd(stream, Map.of("f", "v")).block(WAIT);
        StreamEntry<String> entry = redis.xrange(stream, "-", "+", 1).block(WAIT).get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(entry::ack).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a consumer group");
    }
}
