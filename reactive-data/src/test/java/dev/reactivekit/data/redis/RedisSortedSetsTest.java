package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The sorted set group against a real Redis: a crawler frontier by priority, a delay queue by due time. */
class RedisSortedSetsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisSortedSetsTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    @Test
    void membersAreKeptInScoreOrderWithTheirScores() {
        String key = p + "frontier";
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("https://b.example/", 2.0);
        scores.put("https://a.example/", 1.0);
        scores.put("https://c.example/", 3.0);
        StepVerifier.create(redis.zadd(key, scores)).expectNext(3L).verifyComplete();
        StepVerifier.create(redis.zadd(key, 0.5, "https://c.example/")).as("an existing member is rescored")
                .expectNext(false).verifyComplete();
        StepVerifier.create(redis.zadd(key, 4.0, "https://d.example/")).expectNext(true).verifyComplete();
        StepVerifier.create(redis.zrange(key, 0, -1))
                .expectNext(List.of("https://c.example/", "https://a.example/", "https://b.example/",
                        "https://d.example/"))
                .verifyComplete();
        StepVerifier.create(redis.zrangeWithScores(key, 0, 1))
                .expectNext(List.of(new ScoredMember<>("https://c.example/", 0.5),
                        new ScoredMember<>("https://a.example/", 1.0)))
                .verifyComplete();
        StepVerifier.create(redis.zscore(key, "https://b.example/")).expectNext(2.0).verifyComplete();
        StepVerifier.create(redis.zscore(key, "https://nowhere.example/")).verifyComplete();
        StepVerifier.create(redis.zrank(key, "https://d.example/")).expectNext(3L).verifyComplete();
        StepVerifier.create(redis.zrank(key, "https://nowhere.example/")).verifyComplete();
        StepVerifier.create(redis.zincrby(key, 10, "https://a.example/")).expectNext(11.0).verifyComplete();
        StepVerifier.create(redis.zcard(key)).expectNext(4L).verifyComplete();
        StepVerifier.create(redis.zcount(key, 2, Double.POSITIVE_INFINITY)).expectNext(3L).verifyComplete();
    }

    @Test
    void aDelayQueueTakesWhatIsDueLowestFirst() {
        String key = p + "due";
        redis.zadd(key, Map.of("later", 300.0, "soon", 100.0, "now", 50.0, "much-later", 900.0)).block(WAIT);
        StepVerifier.create(redis.zrangeByScore(key, Double.NEGATIVE_INFINITY, 300, 0, 10))
                .expectNext(List.of("now", "soon", "later"))
                .verifyComplete();
        StepVerifier.create(redis.zrangeByScore(key, Double.NEGATIVE_INFINITY, 300, 1, 1))
                .expectNext(List.of("soon"))
                .verifyComplete();
        StepVerifier.create(redis.zpopmin(key, 2))
                .expectNext(List.of(new ScoredMember<>("now", 50.0), new ScoredMember<>("soon", 100.0)))
                .verifyComplete();
        StepVerifier.create(redis.zremRangeByScore(key, 0, 500)).expectNext(1L).verifyComplete();
        StepVerifier.create(redis.zrem(key, "much-later", "absent")).expectNext(1L).verifyComplete();
        StepVerifier.create(redis.zpopmin(key, 5)).expectNext(List.of()).verifyComplete();
        StepVerifier.create(redis.zrange(p + "no-such-set", 0, -1)).expectNext(List.of()).verifyComplete();
    }

    @Test
    void aSortedSetCommandOnAnotherTypeIsAWrongTypeErrorNamingTheKey() {
        String key = p + "a-string";
        redis.set(key, "v").block(WAIT);
        StepVerifier.create(redis.zadd(key, 1, "m"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisWrongTypeException.class)
                        .hasMessageStartingWith("Redis ZADD " + key + " failed: WRONGTYPE"))
                .verify(WAIT);
    }

    @Test
    void badScoresAndCountsAreRefusedWhenTheCallIsMade() {
        assertThatThrownBy(() -> redis.zadd(p + "z", Double.NaN, "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> redis.zpopmin(p + "z", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
        assertThatThrownBy(() -> redis.zadd(p + "z", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
