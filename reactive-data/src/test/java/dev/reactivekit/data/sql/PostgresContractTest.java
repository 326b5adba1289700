package dev.reactivekit.data.sql;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SQL contract on PostgreSQL. */
class PostgresContractTest extends SqlContractTest {

    private static String url;
    private static Database db;

    @BeforeAll
    static void connect() {
        url = TestPostgres.schemaUrl(PostgresContractTest.class);
        db = Database.connect(url, SqlOptions.builder().maxConnections(4).build()).block(WAIT);
    }

    @AfterAll
    static void close() {
        db.close().block(WAIT);
        TestPostgres.dropSchema(url);
    }

    @Override
    Database db() {
        return db;
    }

    @Override
    String sleep(int seconds) {
        return "SELECT pg_sleep(" + seconds + ")";
    }
}
