package dev.reactivekit.showcase;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * Servers a command starts for its own duration when the user gives none: an embedded PostgreSQL (zonky's
 * binaries, unpacked once under the temp directory; its data directory deleted on close) and an embedded Redis
 * (no persistence), both on 127.0.0.1 and free ports; the perf harness uses them too.
 */
public final class EmbeddedServers {

    private EmbeddedServers() {
    }

    /** A running embedded PostgreSQL: {@link #url()} is its {@code postgres} database. */
    public static final class Postgres implements AutoCloseable {
        private final EmbeddedPostgres server;

        private Postgres(EmbeddedPostgres server) {
            this.server = server;
        }

        public static Postgres start() {
            try {
                return new Postgres(EmbeddedPostgres.builder().start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start an embedded PostgreSQL: " + e.getMessage(), e);
            }
        }

        public String url() {
            return "postgresql://postgres@127.0.0.1:" + server.getPort() + "/postgres";
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }

    /** A running embedded Redis on 127.0.0.1 without persistence: {@link #url()}. */
    public static final class Redis implements AutoCloseable {
        private final RedisServer server;
        private final int port;

        private Redis(RedisServer server, int port) {
            this.server = server;
            this.port = port;
        }

        public static Redis start() {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port for an embedded Redis", e);
            }
            try {
                RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").build();
                server.start();
                return new Redis(server, port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start an embedded Redis: " + e.getMessage(), e);
            }
        }

        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        @Override
        public void close() {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the embedded Redis: " + e.getMessage(), e);
            }
        }
    }
}
