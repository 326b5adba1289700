package dev.reactivekit.showcase;

/**
 * A PostgreSQL for the showcase tests: REACTIVEKIT_PG_URL when set, else one embedded PostgreSQL for this test JVM
 * (the same helper the commands use), stopped when the JVM exits.
 */
final class TestPostgresServer {

    private static String url;

    private TestPostgresServer() {
    }

    static synchronized String url() {
        if (url == null) {
            String external = System.getenv("REACTIVEKIT_PG_URL");
            if (external != null && !external.isBlank()) {
                url = external;
            } else {
                EmbeddedServers.Postgres server = EmbeddedServers.Postgres.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
                url = server.url();
            }
        }
        return url;
    }
}
