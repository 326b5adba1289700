package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every command family of {@link RedisStore} against a real Redis. */
class RedisStoreCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisStore<String> redis;
    private static RedisStore<byte[]> binary;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        binary = RedisStore.connectBinary(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisStoreCommandsTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
        binary.close().block(WAIT);
    }

    @Test
    void setGetAndAMissingKey() {
        StepVerifier.create(redis.set(p + "name", "Ada").then(redis.get(p + "name")))
                .expectNext("Ada")
                .verifyComplete();
        StepVerifier.create(redis.get(p + "missing")).verifyComplete();
    }

    @Test
    void setWithExpiryAndConditions() {
        String key = p + "session";
        StepVerifier.create(redis.set(key, "t1", SetOptions.expireIn(Duration.ofMinutes(5)).ifAbsent()))
                .expectNext(true)
                .verifyComplete();
        StepVerifier.create(redis.set(key, "t2", SetOptions.none().ifAbsent()))
                .expectNext(false)
                .verifyComplete();
        StepVerifier.create(redis.get(key)).expectNext("t1").verifyComplete();
        StepVerifier.create(redis.ttl(key))
                .assertNext(ttl -> assertThat(ttl).hasValueSatisfying(d -> assertThat(d)
                        .isGreaterThan(Duration.ofMinutes(4)).isLessThanOrEqualTo(Duration.ofMinutes(5))))
                .verifyComplete();
        StepVerifier.create(redis.set(p + "absent", "x", SetOptions.none().ifPresent()))
                .expectNext(false)
                .verifyComplete();
        StepVerifier.create(redis.exists(p + "absent")).expectNext(0L).verifyComplete();
        StepVerifier.create(redis.set(key, "t3", SetOptions.none().ifPresent()).then(redis.get(key)))
                .expectNext("t3")
                .verifyComplete();
    }

    @Test
    void ttlDistinguishesMissingPersistentAndExpiring() {
        String key = p + "ttl";
        StepVerifier.create(redis.ttl(key)).verifyComplete();
        StepVerifier.create(redis.set(key, "v").then(redis.ttl(key)))
                .expectNext(Optional.empty())
                .verifyComplete();
        StepVerifier.create(redis.expire(key, Duration.ofSeconds(30)).then(redis.ttl(key)))
                .assertNext(ttl -> assertThat(ttl.orElseThrow()).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30)))
                .verifyComplete();
        StepVerifier.create(redis.expire(p + "nothing", Duration.ofSeconds(1))).expectNext(false).verifyComplete();
    }

    @Test
    void getDelIncrDelExists() {
        String counter = p + "counter";
        StepVerifier.create(redis.incr(counter).then(redis.incrby(counter, 41)))
                .expectNext(42L)
                .verifyComplete();
        StepVerifier.create(redis.getdel(counter)).expectNext("42").verifyComplete();
        StepVerifier.create(redis.getdel(counter)).verifyComplete();
        StepVerifier.create(redis.set(p + "a", "1").then(redis.set(p + "b", "2"))
                        .then(redis.exists(p + "a", p + "b", p + "c")))
                .expectNext(2L)
                .verifyComplete();
        StepVerifier.create(redis.del(p + "a", p + "b", p + "c")).expectNext(2L).verifyComplete();
    }

    @Test
    void msetAndMgetKeepOrderAndLeaveOutMissingKeys() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(p + "k1", "v1");
        entries.put(p + "k2", "v2");
        entries.put(p + "k3", "v3");
        StepVerifier.create(redis.mset(entries).then(redis.mget(p + "k3", p + "nope", p + "k1")))
                .assertNext(map -> assertThat(map).containsExactly(Map.entry(p + "k3", "v3"), Map.entry(p + "k1", "v1")))
                .verifyComplete();
    }

    @Test
    void hashes() {
        String key = p + "user:1";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", "Ada");
        fields.put("lang", "en");
        StepVerifier.create(redis.hset(key, fields)).expectNext(2L).verifyComplete();
        StepVerifier.create(redis.hset(key, "name", "Grace")).expectNext(false).verifyComplete();
        StepVerifier.create(redis.hget(key, "name")).expectNext("Grace").verifyComplete();
        StepVerifier.create(redis.hget(key, "age")).verifyComplete();
        StepVerifier.create(redis.hincrby(key, "visits", 3)).expectNext(3L).verifyComplete();
        StepVerifier.create(redis.hgetall(key))
                .expectNext(Map.of("name", "Grace", "lang", "en", "visits", "3"))
                .verifyComplete();
        StepVerifier.create(redis.hdel(key, "lang", "nope")).expectNext(1L).verifyComplete();
        StepVerifier.create(redis.hgetall(p + "no-hash")).expectNext(Map.of()).verifyComplete();
    }

    @Test
    void lists() {
        String key = p + "list";
        StepVerifier.create(redis.lpush(key, "b", "a").then(redis.rpush(key, "c", "d")))
                .expectNext(4L)
                .verifyComplete();
        StepVerifier.create(redis.lrange(key, 0, -1)).expectNext(List.of("a", "b", "c", "d")).verifyComplete();
        StepVerifier.create(redis.lpop(key)).expectNext("a").verifyComplete();
        StepVerifier.create(redis.rpop(key)).expectNext("d").verifyComplete();
        StepVerifier.create(redis.llen(key)).expectNext(2L).verifyComplete();
        StepVerifier.create(redis.rpop(p + "empty")).verifyComplete();
    }

    @Test
    void brpopWaitsForAnElementOnADedicatedConnection() {
        String key = p + "jobs";
        Mono<String> waiting = redis.brpop(key, Duration.ofSeconds(5));
        StepVerifier.create(waiting)
                .then(() -> redis.lpush(key, "job-1").block(WAIT))
                .expectNext("job-1")
                .verifyComplete();
        StepVerifier.create(redis.brpop(List.of(p + "other", key), Duration.ofMillis(50)))
                .then(() -> redis.rpush(p + "other", "x").block(WAIT))
                .expectNext(Map.entry(p + "other", "x"))
                .verifyComplete();
    }

    @Test
    void brpopEmptyAfterItsTimeout() {
        StepVerifier.create(redis.brpop(p + "never", Duration.ofMillis(100))).verifyComplete();
    }

    @Test
    void setsCountTheMembersAdded() {
        String key = p + "seen";
        StepVerifier.create(redis.sadd(key, "https://a.example/")).expectNext(1L).verifyComplete();
        StepVerifier.create(redis.sadd(key, "https://a.example/")).expectNext(0L).verifyComplete();
        StepVerifier.create(redis.sadd(key, "x", "y", "x")).expectNext(2L).verifyComplete();
        StepVerifier.create(redis.sismember(key, "y")).expectNext(true).verifyComplete();
        StepVerifier.create(redis.scard(key)).expectNext(3L).verifyComplete();
        StepVerifier.create(redis.smembers(key))
                .assertNext(members -> assertThat(members).containsExactlyInAnyOrder("https://a.example/", "x", "y"))
                .verifyComplete();
        StepVerifier.create(redis.srem(key, "x")).expectNext(1L).verifyComplete();
    }

    @Test
    void binaryValuesRoundTripUnchanged() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        StepVerifier.create(binary.set(p + "bytes", value).then(binary.get(p + "bytes")))
                .assertNext(read -> assertThat(read).isEqualTo(value))
                .verifyComplete();
        StepVerifier.create(binary.hset(p + "bin-hash", Map.of("f", "é".getBytes(StandardCharsets.UTF_8)))
                        .then(binary.hget(p + "bin-hash", "f")))
                .assertNext(read -> assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("é"))
                .verifyComplete();
    }

    @Test
    void wrongTypeIsTypedAndNamesCommandAndKey() {
        String key = p + "a-string";
        redis.set(key, "secret-value").block(WAIT);
        StepVerifier.create(redis.hget(key, "field"))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RedisWrongTypeException.class)
                            .hasMessageStartingWith("Redis HGET " + key + " failed: WRONGTYPE")
                            .hasMessageNotContaining("secret-value");
                    assertThat(((RedisWrongTypeException) e).key()).isEqualTo(key);
                    assertThat(((RedisWrongTypeException) e).command()).isEqualTo("HGET");
                })
                .verify(WAIT);
        StepVerifier.create(redis.lpush(key, "x")).expectError(RedisWrongTypeException.class).verify(WAIT);
    }

    @Test
    void serverErrorsNameCommandAndKeyButNeverTheValue() {
        String key = p + "not-a-number";
        redis.set(key, "password123").block(WAIT);
        StepVerifier.create(redis.incr(key))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisCommandException.class)
                        .isNotInstanceOf(RedisWrongTypeException.class)
                        .hasMessage("Redis INCR " + key + " failed: ERR value is not an integer or out of range")
                        .satisfies(x -> assertThat(((RedisCommandException) x).errorCode()).isEqualTo("ERR")))
                .verify(WAIT);
    }

    @Test
    void badArgumentsAreRefusedWhenTheCallIsMade() {
        assertThatThrownBy(() -> redis.get(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> redis.set(p + "k", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> redis.queue(p + "q").enqueue(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("`payload` must not be null");
        assertThatThrownBy(() -> redis.del()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one key");
        assertThatThrownBy(() -> redis.hset(p + "h", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> redis.brpop(p + "k", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetOptions.expireIn(Duration.ofNanos(10))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pingMeasuresARoundTrip() {
        StepVerifier.create(redis.ping())
                .assertNext(rtt -> assertThat(rtt).isPositive().isLessThan(WAIT))
                .verifyComplete();
    }

    @Test
    void commandsAreLazyAndRunAgainOnEachSubscription() {
        String key = p + "lazy";
        Mono<Long> incr = redis.incr(key);
        StepVerifier.create(redis.exists(key)).expectNext(0L).verifyComplete();
        StepVerifier.create(incr.then(incr).then(incr)).expectNext(3L).verifyComplete();
        StepVerifier.create(redis.lrange(key + ":none", 0, -1)).expectNext(List.of()).verifyComplete();
    }

    @Test
    void moreListHashKeyAndStringCommands() {
        String list = p + "more-list";
        redis.rpush(list, "a", "b", "a", "c", "a").block(WAIT);
        StepVerifier.create(redis.lindex(list, -1)).expectNext("a").verifyComplete();
        StepVerifier.create(redis.lrem(list, 2, "a")).expectNext(2L).verifyComplete();
        StepVerifier.create(redis.lrange(list, 0, -1)).expectNext(List.of("b", "c", "a")).verifyComplete();
        StepVerifier.create(redis.ltrim(list, 0, 1).then(redis.lrange(list, 0, -1)))
                .expectNext(List.of("b", "c")).verifyComplete();
        StepVerifier.create(redis.lmove(list, p + "more-other")).expectNext("c").verifyComplete();
        StepVerifier.create(redis.lmove(p + "more-empty", p + "more-other")).verifyComplete();

        String hash = p + "more-hash";
        redis.hset(hash, "f", "v").block(WAIT);
        StepVerifier.create(redis.hexists(hash, "f")).expectNext(true).verifyComplete();
        StepVerifier.create(redis.hexists(hash, "g")).expectNext(false).verifyComplete();
        StepVerifier.create(redis.hlen(hash)).expectNext(1L).verifyComplete();

        String key = p + "more-key";
        redis.set(key, "hello", SetOptions.expireIn(Duration.ofMinutes(1))).block(WAIT);
        StepVerifier.create(redis.type(key)).expectNext("string").verifyComplete();
        StepVerifier.create(redis.type(p + "more-none")).expectNext("none").verifyComplete();
        StepVerifier.create(redis.strlen(key)).expectNext(5L).verifyComplete();
        StepVerifier.create(redis.persist(key).then(redis.ttl(key))).expectNext(Optional.empty()).verifyComplete();
        StepVerifier.create(redis.unlink(key, list)).expectNext(2L).verifyComplete();
        StepVerifier.create(redis.decrby(p + "more-n", 3)).expectNext(-3L).verifyComplete();
        StepVerifier.create(redis.sadd(p + "more-set", "only").then(redis.spop(p + "more-set")))
                .expectNext("only").verifyComplete();
        StepVerifier.create(redis.spop(p + "more-set")).verifyComplete();
    }

    @Test
    void aCancelledCommandsLateReplyIsDroppedAndTheNextCommandGetsItsOwn() {
        String key = p + "cancelled";
        redis.set(key, "mine").block(WAIT);
        for (int i = 0; i < 100; i++) {
            redis.get(key).subscribe().dispose();
        }
        StepVerifier.create(redis.incr(p + "after-cancel")).expectNext(1L).verifyComplete();
        StepVerifier.create(redis.get(key)).expectNext("mine").verifyComplete();
    }
}
