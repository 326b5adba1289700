package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Failed jobs of a {@link RedisQueue}: retried with backoff, then dead; and the queue's stats, on a real Redis. */
class RedisQueueRetriesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisQueueRetriesTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    private static QueueOptions options(int maxAttempts, Duration retryDelay) {
        return QueueOptions.builder().maxAttempts(maxAttempts).retryDelay(retryDelay).maxRetryDelay(Duration.ofSeconds(1))
                .pollTimeout(Duration.ofMillis(50)).visibilityTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aFailedJobRunsAgainAfterABackoffUntilItsLastAttemptThenIsDeadWithItsError() {
        RedisQueue<String> queue = redis.queue(p + "flaky", options(3, Duration.ofMillis(100)));
        String id = queue.enqueue("always fails").block(WAIT);
        List<Job<String>> attempts = new CopyOnWriteArrayList<>();
        List<Long> at = new CopyOnWriteArrayList<>();
        Disposable worker = queue.consume("worker")
                .concatMap(job -> {
                    attempts.add(job);
                    at.add(System.nanoTime());
                    return job.fail("boom " + job.attempt());
                }, 0)
                .subscribe();
        try {
            assertThat(Poll.until(() -> queue.stats().block(WAIT).dead() == 1)).isTrue();
        } finally {
            worker.dispose();
        }
        assertThat(attempts).extracting(Job::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(Job::id).containsOnly(id);
        // 100 ms, then 200 ms (doubling): each retry waited at least its delay.
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(at.get(2) - at.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        StepVerifier.create(queue.dead())
                .expectNext(new DeadJob<>(id, "always fails", 3, "boom 3"))
                .verifyComplete();
        QueueStats stats = queue.stats().block(WAIT);
        assertThat(stats.unfinished()).as("a dead job is no longer unfinished").isZero();
        assertThat(stats.waiting()).isZero();
        assertThat(stats.delayed()).isZero();
        StepVerifier.create(queue.deleteDead()).expectNext(1L).verifyComplete();
        StepVerifier.create(queue.dead()).verifyComplete();
    }

    @Test
    void aJobThatSucceedsOnItsSecondAttemptIsDoneAndForgotten() {
        RedisQueue<String> queue = redis.queue(p + "second", options(5, Duration.ofMillis(20)));
        queue.enqueue("x").block(WAIT);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Disposable worker = queue.consume()
                .concatMap(job -> {
                    seen.add(job.attempt());
                    return job.attempt() == 1 ? job.fail("first try fails") : job.ack();
                }, 0)
                .subscribe();
        try {
            assertThat(Poll.until(() -> queue.unfinished().block(WAIT) == 0)).isTrue();
        } finally {
            worker.dispose();
        }
        assertThat(seen).containsExactly(1, 2);
        StepVerifier.create(queue.dead()).verifyComplete();
        StepVerifier.create(redis.hlen("rk:queue:{" + p + "second}:attempts")).expectNext(0L).verifyComplete();
    }

    @Test
    void failingAJobNoLongerHeldCountsNothing() {
        RedisQueue<String> queue = redis.queue(p + "stale", options(1, Duration.ofMillis(20)));
        queue.enqueue("y").block(WAIT);
        Job<String> job = queue.consume().blockFirst(WAIT);
        assertThat(job.release().block(WAIT)).isTrue();
        StepVerifier.create(job.fail("too late")).expectNext(false).verifyComplete();
        StepVerifier.create(queue.dead()).verifyComplete();
        assertThat(queue.stats().block(WAIT).waiting()).isEqualTo(1);
    }

    @Test
    void statsShowWaitingDelayedAndWhatEachConsumerHolds() {
        RedisQueue<String> queue = redis.queue(p + "stats", options(5, Duration.ofSeconds(1)));
        for (int i = 0; i < 5; i++) {
            queue.enqueue("job " + i).block(WAIT);
        }
        Job<String> first = queue.consume("alpha").blockFirst(WAIT);
        List<Job<String>> held = new CopyOnWriteArrayList<>();
        Disposable beta = queue.consume("beta").take(2).subscribe(held::add);
        try {
            assertThat(Poll.until(() -> held.size() == 2)).isTrue();
            assertThat(held.get(0).fail("later").block(WAIT)).isTrue();
            QueueStats stats = queue.stats().block(WAIT);
            assertThat(stats.waiting()).isEqualTo(2);
            assertThat(stats.delayed()).isEqualTo(1);
            assertThat(stats.unfinished()).isEqualTo(5);
            assertThat(stats.inProgress()).hasSize(2);
            assertThat(stats.inProgress().get(first.consumer())).isEqualTo(1L);
            assertThat(stats.inProgress().get(held.get(1).consumer())).isEqualTo(1L);
            assertThat(first.consumer()).startsWith("alpha-");
            assertThat(held.get(1).consumer()).startsWith("beta-");
            assertThat(stats.inProgressTotal()).isEqualTo(2);
        } finally {
            beta.dispose();
        }
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> QueueOptions.builder().maxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> QueueOptions.builder().retryDelay(Duration.ofSeconds(2))
                .maxRetryDelay(Duration.ofSeconds(1)).build()).hasMessageContaining("must not exceed maxRetryDelay");
        assertThatThrownBy(() -> redis.queue(p + "names").consume("a:b")).hasMessageContaining("without ':'");
        QueueOptions options = QueueOptions.builder().retryDelay(Duration.ofMillis(100)).maxRetryDelay(Duration.ofMillis(500))
                .build();
        assertThat(List.of(1, 2, 3, 4, 10).stream().map(options::retryDelayAfter).toList())
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                        Duration.ofMillis(500), Duration.ofMillis(500));
    }
}
