package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The reliable job queue and Redis Streams consumer groups against a real Redis. */
class RedisQueueAndStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisQueueAndStreamsTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    @Test
    void enqueuedJobsAreConsumedInOrderAndAckDeletesThem() {
        RedisQueue<String> queue = redis.queue(p + "mail");
        StepVerifier.create(queue.enqueue("a").then(queue.enqueue("b")).then(queue.size()))
                .expectNext(2L)
                .verifyComplete();
        StepVerifier.create(queue.consume().take(2).concatMap(job -> job.ack().thenReturn(job.payload())))
                .expectNext("a", "b")
                .verifyComplete();
        StepVerifier.create(queue.size()).expectNext(0L).verifyComplete();
        StepVerifier.create(redis.hgetall("rk:queue:{" + p + "mail}:jobs")).expectNext(Map.of()).verifyComplete();
        assertThat(Poll.until(() -> redis.stats().block(WAIT).blocking().inUse() == 0)).isTrue();
    }

    @Test
    void uniqueJobsAreQueuedOnceAmongManyProducersAndUnfinishedCountsUntilAck() {
        RedisQueue<String> queue = redis.queue(p + "unique");
        // 8 producers racing to add the same 50 keys: each key is queued once.
        Long added = Flux.range(0, 8).flatMap(producer -> Flux.range(0, 50)
                        .flatMap(i -> queue.enqueueUnique("url-" + i, "url-" + i + " from " + producer)))
                .filter(Boolean::booleanValue).count().block(WAIT);
        assertThat(added).isEqualTo(50);
        StepVerifier.create(queue.size()).expectNext(50L).verifyComplete();
        StepVerifier.create(queue.markSeen("url-0")).expectNext(false).verifyComplete();
        StepVerifier.create(queue.markSeen("elsewhere")).expectNext(true).verifyComplete();
        StepVerifier.create(queue.enqueueUnique("elsewhere", "x")).expectNext(false).verifyComplete();
        // Taken but not acknowledged still counts; acknowledged does not.
        StepVerifier.create(queue.consume().take(50).concatMap(job -> job.payload().startsWith("url-1 ")
                        ? Mono.just(job.payload()) : job.ack().thenReturn(job.payload())).count())
                .expectNext(50L)
                .verifyComplete();
        StepVerifier.create(queue.size()).expectNext(0L).verifyComplete();
        StepVerifier.create(queue.unfinished()).expectNext(1L).verifyComplete();
        assertThatThrownBy(() -> queue.enqueueUnique(null, "x")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("uniqueKey");
    }

    @Test
    void aConsumerTakesOnlyWhatItsSubscriberAskedForSoABusyOneDoesTheWork() {
        RedisQueue<String> queue = redis.queue(p + "fair", QueueOptions.builder().pollTimeout(Duration.ofMillis(100)).build());
        Flux.range(0, 10).concatMap(i -> queue.enqueue("job-" + i)).blockLast(WAIT);
        // The idle consumer asks for one job and never finishes it.
        java.util.List<Job<String>> heldByIdle = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.publisher.BaseSubscriber<Job<String>> idle = new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                subscription.request(1);
            }

            @Override
            protected void hookOnNext(Job<String> job) {
                heldByIdle.add(job);
            }
        };
        queue.consume().subscribe(idle);
        try {
            assertThat(Poll.until(() -> heldByIdle.size() == 1)).isTrue();
            assertThat(Poll.until(() -> false, Duration.ofMillis(500))).isFalse();
            assertThat(processingJobs(p + "fair")).as("the idle consumer moved only the job it was asked for").isEqualTo(1);
            AtomicInteger doneByBusy = new AtomicInteger();
            StepVerifier.create(queue.consume().concatMap(job -> job.ack().doOnNext(ok -> doneByBusy.incrementAndGet()), 0)
                            .take(9))
                    .expectNextCount(9)
                    .expectComplete()
                    .verify(Duration.ofSeconds(20));
            assertThat(doneByBusy).as("the busy consumer did the other nine").hasValue(9);
            assertThat(heldByIdle).as("the idle one holds only the job it asked for").hasSize(1);
            assertThat(processingJobs(p + "fair")).as("jobs in consumers' processing lists").isEqualTo(1);
        } finally {
            idle.dispose();
        }
    }

    private static long processingJobs(String queueName) {
        return redis.lettuce().keys("rk:queue:{" + queueName + "}:processing:*")
                .flatMap(key -> redis.lettuce().llen(key))
                .reduce(0L, Long::sum)
                .block(WAIT);
    }

    @Test
    void aJobOfAConsumerThatDiedIsDeliveredAgainExactlyOnceAfterTheVisibilityTimeout() {
        Duration visibility = Duration.ofMillis(600);
        RedisQueue<String> queue = redis.queue(p + "fragile", QueueOptions.builder()
                .visibilityTimeout(visibility).pollTimeout(Duration.ofMillis(100)).build());
        queue.enqueue("payload-1").block(WAIT);

        // The first consumer takes the job and dies (its stream is cancelled) without acknowledging it.
        Job<String> abandoned = queue.consume().blockFirst(WAIT);
        assertThat(abandoned.payload()).isEqualTo("payload-1");

        // A second consumer gets it once its heartbeat lapses, and only once.
        List<Job<String>> redelivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        Disposable second = queue.consume().subscribe(redelivered::add);
        try {
            assertThat(Poll.until(() -> redelivered.size() == 1, Duration.ofSeconds(10))).isTrue();
            Duration after = Duration.ofNanos(System.nanoTime() - start);
            assertThat(after).as("redelivered after the visibility timeout").isGreaterThanOrEqualTo(visibility.minusMillis(300));
            assertThat(redelivered.get(0).id()).isEqualTo(abandoned.id());
            assertThat(redelivered.get(0).payload()).isEqualTo("payload-1");
            // Heartbeats and reaping continue: two more visibility periods bring no duplicate.
            assertThat(Poll.until(() -> redelivered.size() > 1, visibility.multipliedBy(2))).isFalse();
            assertThat(redelivered.get(0).ack().block(WAIT)).isTrue();
            assertThat(abandoned.ack().block(WAIT)).as("the dead consumer no longer holds it").isFalse();
        } finally {
            second.dispose();
        }
    }

    @Test
    void requeueAbandonedPutsBackWhatADeadConsumerHeld() {
        Duration visibility = Duration.ofSeconds(1);
        RedisQueue<String> queue = redis.queue(p + "orphans", QueueOptions.builder().visibilityTimeout(visibility).build());
        queue.enqueue("a").then(queue.enqueue("b")).block(WAIT);
        StepVerifier.create(queue.consume().take(2).map(Job::payload)).expectNext("a", "b").verifyComplete();
        StepVerifier.create(queue.size()).expectNext(0L).verifyComplete();
        StepVerifier.create(queue.requeueAbandoned()).expectNext(0L).verifyComplete(); // its heartbeat still lives
        assertThat(Poll.until(() -> queue.requeueAbandoned().block(WAIT) == 2, Duration.ofSeconds(5))).isTrue();
        StepVerifier.create(queue.size()).expectNext(2L).verifyComplete();
        StepVerifier.create(queue.requeueAbandoned()).expectNext(0L).verifyComplete();
        StepVerifier.create(queue.consume().take(2).concatMap(job -> job.ack().thenReturn(job.payload())))
                .expectNext("a", "b")
                .verifyComplete();
    }

    @Test
    void releasePutsAJobBackAtTheHead() {
        RedisQueue<String> queue = redis.queue(p + "retry");
        queue.enqueue("first").then(queue.enqueue("second")).block(WAIT);
        StepVerifier.create(queue.consume()
                        .take(3)
                        .concatMap(job -> job.payload().equals("first") && job.id().equals("1")
                                ? firstTime(job) : job.ack().thenReturn(job.payload())))
                .expectNext("released", "first", "second")
                .verifyComplete();
    }

    private static final Set<String> released = ConcurrentHashMap.newKeySet();

    private static Mono<String> firstTime(Job<String> job) {
        return released.add(job.id()) ? job.release().thenReturn("released") : job.ack().thenReturn(job.payload());
    }

    @Test
    void tenThousandJobsThroughFourConsumersAreEachProcessedExactlyOnce() {
        int n = 10_000;
        RedisQueue<String> queue = redis.queue(p + "bulk");
        Flux.range(0, n).flatMap(i -> queue.enqueue("job-" + i), 64).blockLast(WAIT);

        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Disposable> consumers = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
            consumers.add(queue.consume()
                    .flatMap(job -> job.ack().doOnNext(acked -> {
                        processed.computeIfAbsent(job.payload(), k -> new AtomicInteger()).incrementAndGet();
                        total.incrementAndGet();
                    }), 1)
                    .subscribe(ok -> { }, failures::add));
        }
        try {
            assertThat(Poll.until(() -> total.get() >= n || !failures.isEmpty(), WAIT))
                    .as("processed %s of %s", total.get(), n).isTrue();
            assertThat(failures).as("consumer failures").isEmpty();
            assertThat(Poll.until(() -> total.get() > n, Duration.ofMillis(300))).isFalse();
        } finally {
            consumers.forEach(Disposable::dispose);
        }
        assertThat(processed).hasSize(n);
        assertThat(processed.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        StepVerifier.create(queue.size()).expectNext(0L).verifyComplete();
    }

    @Test
    void streamsReadByAConsumerGroupAndAcknowledged() {
        String stream = p + "orders";
        StepVerifier.create(redis.xgroupCreate(stream, "billing")).expectNext(true).verifyComplete();
        StepVerifier.create(redis.xgroupCreate(stream, "billing")).expectNext(false).verifyComplete();
        List<String> ids = Flux.range(0, 5)
                .concatMap(i -> redis.xadd(stream, Map.of("order", "o" + i)))
                .collectList().block(WAIT);
        StepVerifier.create(redis.xlen(stream)).expectNext(5L).verifyComplete();

        StepVerifier.create(redis.readGroup(stream, "billing", "worker-1", 2, Duration.ofMillis(200))
                        .take(5)
                        .concatMap(entry -> entry.ack().thenReturn(entry)))
                .recordWith(java.util.ArrayList::new)
                .expectNextCount(5)
                .consumeRecordedWith(entries -> {
                    assertThat(entries).extracting(StreamEntry::id).containsExactlyElementsOf(ids);
                    assertThat(entries).extracting(e -> e.fields().get("order"))
                            .containsExactly("o0", "o1", "o2", "o3", "o4");
                })
                .verifyComplete();
        StepVerifier.create(redis.lettuce().xpending(stream, "billing"))
                .assertNext(pending -> assertThat(pending.getCount()).isZero())
                .verifyComplete();
        assertThat(Poll.until(() -> redis.stats().block(WAIT).blocking().inUse() == 0))
                .as("the reader's dedicated connection is given back when its stream is cancelled").isTrue();
    }

    @Test
    void aStreamReaderWaitsForNewEntries() {
        String stream = p + "events";
        redis.xgroupCreate(stream, "g").block(WAIT);
        StepVerifier.create(redis.readGroup(stream, "g", "c", 10, Duration.ofMillis(100)).take(1))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(300))
                .then(() -> redis.xadd(stream, Map.of("k", "v")).block(WAIT))
                .assertNext(entry -> assertThat(entry.fields()).isEqualTo(Map.of("k", "v")))
                .verifyComplete();
        StepVerifier.create(redis.readGroup(p + "no-stream", "nogroup", "c", 1, Duration.ofMillis(10)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisCommandException.class)
                        .hasMessageStartingWith("Redis XREADGROUP " + p + "no-stream failed: NOGROUP"))
                .verify(WAIT);
    }
}
