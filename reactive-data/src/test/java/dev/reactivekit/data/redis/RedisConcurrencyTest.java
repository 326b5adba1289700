package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Many non-blocking threads writing to the one shared connection at once, as the event loops and the parallel
 * scheduler do in an application: Lettuce's write lock is contended, and under BlockHound (installed in every
 * test JVM) that must neither fail nor wedge the connection (see {@code DriverBlockHoundAllowances}).
 */
class RedisConcurrencyTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisConcurrencyTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    @Test
    void commandsFromManyNonBlockingThreadsAtOnceAllComplete() {
        int n = 40_000;
        Long done = Flux.range(0, n)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .flatMap(i -> redis.incr(p + "counter:" + (i % 8)), false, 64)
                .sequential()
                .count()
                .block(WAIT);
        assertThat(done).isEqualTo(n);
        long total = Flux.range(0, 8).flatMap(i -> redis.get(p + "counter:" + i)).map(Long::parseLong)
                .reduce(0L, Long::sum).block(WAIT);
        assertThat(total).isEqualTo(n);
    }
}
