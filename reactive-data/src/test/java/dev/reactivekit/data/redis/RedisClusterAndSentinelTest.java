package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.reactivekit.core.testing.Poll;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisCluster;
import redis.embedded.RedisShardedCluster;
import redis.embedded.core.RedisServerBuilder;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code redis-cluster://} and {@code redis-sentinel://} URLs against embedded servers of their own: a Redis
 * Cluster of three masters, and a Sentinel watching one master. Skipped against an external server.
 */
class RedisClusterAndSentinelTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisShardedCluster cluster;
    private static RedisCluster sentinel;
    /**
     * The nodes' working directory: their cluster config files and snapshots go here (and are deleted with it),
     * not into the temp directories embedded-redis unpacks each binary into, which it would leave behind.
     */
    @TempDir
    static Path nodes;

    @BeforeAll
    static void start() throws IOException {
        assumeFalse(TestRedis.external(), "cluster and sentinel tests run only on embedded servers");
        cluster = RedisShardedCluster.newRedisCluster()
                .withServerBuilder(new RedisServerBuilder().setting("dir " + nodes))
                .serverPorts(List.of(TestRedis.freePort(), TestRedis.freePort(), TestRedis.freePort()))
                .shard("a", 0).shard("b", 0).shard("c", 0)
                .initializationTimeout(WAIT)
                .build();
        cluster.start();
        dev.reactivekit.core.testing.RedisClusterState.awaitOk(cluster.serverPorts(), WAIT);
        sentinel = RedisCluster.newRedisCluster()
                .withServerBuilder(new RedisServerBuilder().setting("dir " + nodes))
                .sentinelPorts(List.of(TestRedis.freePort()))
                .serverPorts(List.of(TestRedis.freePort()))
                .quorumSize(1)
                .replicationGroup("primary", 0)
                .build();
        sentinel.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (cluster != null) {
            cluster.stop();
        }
        if (sentinel != null) {
            sentinel.stop();
        }
    }

    private static String clusterUrl() {
        return "redis-cluster://" + cluster.serverPorts().stream().map(port -> "127.0.0.1:" + port)
                .collect(Collectors.joining(","));
    }

    @Test
    void aClusterRoutesCommandsPipelinesAndBlockingCommandsAcrossItsNodes() {
        RedisStore<String> redis = RedisStore.connect(clusterUrl()).block(WAIT);
        try {
            Map<String, String> entries = new LinkedHashMap<>();
            IntStream.range(0, 50).forEach(i -> entries.put("key:" + i, "v" + i)); // spread over every node
            StepVerifier.create(redis.mset(entries).then(redis.mget(entries.keySet().toArray(String[]::new))))
                    .expectNext(entries)
                    .verifyComplete();
            StepVerifier.create(redis.pipeline(batch -> IntStream.range(0, 50).forEach(i -> batch.incr("n:" + i))))
                    .assertNext(results -> assertThat(results).hasSize(50).containsOnly(1L))
                    .verifyComplete();
            StepVerifier.create(redis.del(entries.keySet().toArray(String[]::new))).expectNext(50L).verifyComplete();
            StepVerifier.create(redis.brpop("jobs", Duration.ofSeconds(5)))
                    .then(() -> redis.lpush("jobs", "j1").block(WAIT))
                    .expectNext("j1")
                    .verifyComplete();
            RedisQueue<String> queue = redis.queue("cluster-queue");
            queue.enqueue("job").block(WAIT);
            StepVerifier.create(queue.consume().take(1).concatMap(job -> job.ack().thenReturn(job.payload())))
                    .expectNext("job")
                    .verifyComplete();
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void aClusterDeliversPubSub() {
        RedisStore<String> redis = RedisStore.connect(clusterUrl()).block(WAIT);
        try {
            List<PubSubEvent<String>> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            var subscription = redis.subscribe("cluster-news").subscribe(received::add);
            try {
                // Published until the subscription, set up asynchronously, gets one. A node connection that is
                // reconnecting rejects commands meanwhile (seen once on CI just after connect): publish again.
                assertThat(Poll.until(() -> {
                    redis.publish("cluster-news", "hello")
                            .onErrorResume(RedisUnavailableException.class, e -> Mono.empty()).block(WAIT);
                    return !received.isEmpty();
                })).isTrue();
                assertThat(received.get(0)).isEqualTo(new PubSubEvent.Message<>("cluster-news", null, "hello"));
            } finally {
                subscription.dispose();
            }
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void sentinelFindsTheMaster() {
        String url = "redis-sentinel://127.0.0.1:" + sentinel.sentinelPorts().get(0) + "/0#primary";
        RedisStore<String> redis = RedisStore.connect(url).block(WAIT);
        try {
            StepVerifier.create(redis.set("s", "1").then(redis.get("s"))).expectNext("1").verifyComplete();
            assertThat(redis.toString()).contains("redis-sentinel://127.0.0.1:" + sentinel.sentinelPorts().get(0));
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void clusterUrlsAreCheckedAndTheirPasswordsMasked() {
        StepVerifier.create(RedisStore.connect("redis-cluster://:pw@127.0.0.1:1,127.0.0.1:x"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("redis-cluster://***@127.0.0.1:1,127.0.0.1:x")
                        .hasMessageNotContaining("pw"))
                .verify(WAIT);
        StepVerifier.create(RedisStore.connect("redis-cluster://127.0.0.1:1/3"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("database 0 only"))
                .verify(WAIT);
        int port = TestRedis.freePort();
        StepVerifier.create(RedisStore.connect("redis-cluster://127.0.0.1:" + port))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisUnavailableException.class)
                        .hasMessageContaining("cannot connect to redis-cluster://127.0.0.1:" + port))
                .verify(WAIT);
    }
}
