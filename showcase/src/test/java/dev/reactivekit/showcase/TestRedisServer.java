package dev.reactivekit.showcase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** A Redis for the showcase tests: REACTIVEKIT_REDIS_URL when set, else an embedded one for this test JVM. */
final class TestRedisServer {

    private static String url;

    private TestRedisServer() {
    }

    static synchronized String url() {
        if (url == null) {
            String external = System.getenv("REACTIVEKIT_REDIS_URL");
            if (external != null && !external.isBlank()) {
                url = external;
            } else {
                int port = freePort();
                try {
                    RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                            .setting("save \"\"").setting("appendonly no").build();
                    server.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            server.stop();
                        } catch (IOException e) {
                            // the JVM is exiting
                        }
                    }));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start an embedded Redis", e);
                }
                url = "redis://127.0.0.1:" + port;
            }
        }
        return url;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
