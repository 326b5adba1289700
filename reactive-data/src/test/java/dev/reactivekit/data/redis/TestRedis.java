package dev.reactivekit.data.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The Redis the tests talk to: {@code REACTIVEKIT_REDIS_URL} when set (the machine's server on CI), otherwise an
 * embedded one started on a free port once per test JVM and stopped when the JVM exits. Test classes keep to
 * their own keys through {@link #prefix(Class)}.
 */
final class TestRedis {

    private static final Logger log = LoggerFactory.getLogger(TestRedis.class);

    private static String url;

    private TestRedis() {
    }

    /** The URL of the shared test server, started on first use. */
    static synchronized String url() {
        if (url == null) {
            String external = System.getenv("REACTIVEKIT_REDIS_URL");
            if (external != null && !external.isBlank()) {
                log.info("Redis tests use {}", external);
                url = external;
            } else {
                Embedded server = Embedded.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "embedded-redis-stop"));
                url = server.url();
            }
        }
        return url;
    }

    /** Whether the tests run against an external server (restart tests are then skipped). */
    static boolean external() {
        String external = System.getenv("REACTIVEKIT_REDIS_URL");
        return external != null && !external.isBlank();
    }

    /** A key prefix no other test class or run uses. */
    static String prefix(Class<?> testClass) {
        return "rktest:" + testClass.getSimpleName() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /**
     * Deletes what a test class left under {@code prefix}, including its queues' keys, so runs against a shared
     * server leave nothing behind.
     */
    static void cleanUp(RedisStore<String> store, String prefix) {
        // Server-side, so that only a count travels back, whatever the number of keys.
        String script = "local n = 0 for _, pattern in ipairs(ARGV) do for _, key in ipairs(redis.call('KEYS', pattern))"
                + " do redis.call('DEL', key) n = n + 1 end end return n";
        store.lettuce().eval(script, io.lettuce.core.ScriptOutputType.INTEGER, new String[0], prefix + "*",
                        "rk:queue:{" + prefix + "*")
                .blockLast(java.time.Duration.ofSeconds(30));
    }

    /** A free TCP port on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** An embedded server of its own, which a test may stop and start again on the same port. */
    static final class Embedded {

        private final int port;
        private final RedisServer server;

        private Embedded(int port, String... settings) {
            this.port = port;
            try {
                var builder = RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("save \"\"")
                        .setting("appendonly no");
                for (String setting : settings) {
                    builder.setting(setting);
                }
                this.server = builder.build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Started with {@code settings} added to its configuration, for example {@code "requirepass s3cret"}. */
        static Embedded start(String... settings) {
            Embedded embedded = new Embedded(freePort(), settings);
            embedded.startAgain();
            log.info("embedded Redis on port {}", embedded.port);
            return embedded;
        }

        String url() {
            return "redis://127.0.0.1:" + port;
        }

        int port() {
            return port;
        }

        void startAgain() {
            try {
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded Redis on port " + port, e);
            }
        }

        void stop() {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
