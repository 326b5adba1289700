package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reactivekit.core.testing.LogCapture;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Lettuce on a native transport where one exists, without a warning at every connection. */
class RedisTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void onLinuxX8664TheStoreRunsOnEpollNotNio() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        String arch = System.getProperty("os.arch", "");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "x86_64 only: the native jars in use");
        RedisStore<String> redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        try {
            assertThat(redis.transport())
                    .as(() -> "epoll is unavailable: " + io.netty.channel.epoll.Epoll.unavailabilityCause())
                    .isEqualTo("epoll");
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void connectingLogsNoTransportWarning() {
        try (LogCapture lettuce = LogCapture.of("io.lettuce.core.resource.Transports")) {
            RedisStore<String> redis = RedisStore.connect(TestRedis.url()).block(WAIT);
            try {
                redis.ping().block(WAIT);
            } finally {
                redis.close().block(WAIT);
            }
            assertThat(lettuce.lines()).noneMatch(line -> line.startsWith("WARN"));
        }
    }
}
