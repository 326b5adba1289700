package dev.reactivekit.showcase;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Servers a command starts for its own duration when the user gives none: an embedded PostgreSQL (zonky's
 * binaries, unpacked once under the temp directory), stopped and its data directory deleted on {@link #close()}.
 */
final class EmbeddedServers {

    private EmbeddedServers() {
    }

    /** A running embedded PostgreSQL: {@link #url()} is its {@code postgres} database. */
    static final class Postgres implements AutoCloseable {
        private final EmbeddedPostgres server;

        private Postgres(EmbeddedPostgres server) {
            this.server = server;
        }

        static Postgres start() {
            try {
                return new Postgres(EmbeddedPostgres.builder().start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start an embedded PostgreSQL: " + e.getMessage(), e);
            }
        }

        String url() {
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
}
