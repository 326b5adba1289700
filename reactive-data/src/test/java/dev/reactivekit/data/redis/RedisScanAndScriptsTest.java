package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** {@code SCAN} as a {@code Flux}, and Lua scripts run by digest with the fallback to their source. */
class RedisScanAndScriptsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisStore<String> redis;
    private static String p;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisScanAndScriptsTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(redis, p);
        redis.close().block(WAIT);
    }

    @Test
    void scanStreamsEveryMatchingKeyAcrossCursorSteps() {
        Set<String> written = IntStream.range(0, 250).mapToObj(i -> p + "scan:" + i).collect(Collectors.toSet());
        redis.pipeline(batch -> written.forEach(key -> batch.set(key, "v"))).block(WAIT);
        redis.set(p + "other", "v").block(WAIT);
        StepVerifier.create(redis.scan(p + "scan:*", 20).collect(Collectors.toCollection(HashSet::new)))
                .expectNext(new HashSet<>(written))
                .verifyComplete();
        StepVerifier.create(redis.scan(p + "nothing-matches:*")).verifyComplete();
    }

    @Test
    void cancellingAScanStopsIt() {
        redis.pipeline(batch -> IntStream.range(0, 50).forEach(i -> batch.set(p + "cancel:" + i, "v"))).block(WAIT);
        StepVerifier.create(redis.scan(p + "cancel:*", 10).take(3)).expectNextCount(3).verifyComplete();
        Disposable scanning = redis.scan(p + "cancel:*", 10).subscribe();
        scanning.dispose();
        assertThat(scanning.isDisposed()).isTrue();
        StepVerifier.create(redis.ping()).expectNextCount(1).verifyComplete();
    }

    @Test
    void aScriptIsSentWholeOnceThenByItsDigest() {
        // A script no server has seen: the first run finds NOSCRIPT and falls back to EVAL, which caches it.
        String source = "-- " + UUID.randomUUID() + "\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])";
        RedisScript<String> add = redis.script(source);
        assertThat(add.sha1()).hasSize(40).isEqualTo(RedisScript.sha1(source));
        StepVerifier.create(redis.scriptExists(add.sha1())).expectNext(List.of(false)).verifyComplete();
        StepVerifier.create(add.run(ScriptOutput.integer(), List.of(p + "counter"), List.of("5")))
                .expectNext(5L).verifyComplete();
        StepVerifier.create(redis.scriptExists(add.sha1())).expectNext(List.of(true)).verifyComplete();
        StepVerifier.create(add.run(ScriptOutput.integer(), List.of(p + "counter"), List.of("2")))
                .expectNext(7L).verifyComplete();
        StepVerifier.create(redis.evalsha(add.sha1(), ScriptOutput.integer(), List.of(p + "counter"), List.of("1")))
                .expectNext(8L).verifyComplete();
    }

    @Test
    void scriptRepliesAreReadAsTheOutputSays() {
        StepVerifier.create(redis.eval("return 'plain'", ScriptOutput.value(), List.of(), List.of()))
                .expectNext("plain").verifyComplete();
        StepVerifier.create(redis.eval("return redis.status_reply('FINE')", ScriptOutput.status(), List.of(),
                List.of())).expectNext("FINE").verifyComplete();
        StepVerifier.create(redis.eval("return 1 == 1", ScriptOutput.bool(), List.of(), List.of()))
                .expectNext(true).verifyComplete();
        StepVerifier.create(redis.eval("return false", ScriptOutput.bool(), List.of(), List.of()))
                .expectNext(false).verifyComplete();
        StepVerifier.create(redis.eval("return {1, 'two', {3}}", ScriptOutput.multi(), List.of(), List.of()))
                .expectNext(List.of(1L, "two", List.of(3L))).verifyComplete();
        StepVerifier.create(redis.scriptLoad("return 42").flatMap(sha -> redis.evalsha(sha, ScriptOutput.integer(),
                List.of(), List.of()))).expectNext(42L).verifyComplete();
    }

    @Test
    void aScriptErrorIsACommandErrorAndAnUnknownDigestIsNoScript() {
        StepVerifier.create(redis.eval("return redis.call('NO_SUCH_COMMAND')", ScriptOutput.integer(),
                        List.of(p + "k"), List.of()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisCommandException.class)
                        .hasMessageStartingWith("Redis EVAL " + p + "k failed: "))
                .verify(WAIT);
        StepVerifier.create(redis.evalsha("0".repeat(40), ScriptOutput.integer(), List.of(), List.of()))
                .expectErrorSatisfies(e -> assertThat(((RedisCommandException) e).errorCode()).isEqualTo("NOSCRIPT"))
                .verify(WAIT);
    }

    @Test
    void scanAndScriptsRunInParallelWithOrdinaryCommands() {
        RedisScript<String> echo = redis.script("return ARGV[1]");
        StepVerifier.create(Flux.range(0, 200)
                        .flatMap(i -> echo.run(ScriptOutput.<String>value(), List.of(), List.of("v" + i)), 50)
                        .collect(Collectors.toSet()))
                .assertNext(values -> assertThat(values).hasSize(200).contains("v0", "v199"))
                .verifyComplete();
    }
}
