package dev.reactivekit.data.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The SQL contract on SQLite: a file database in a temporary directory (a writer and three readers). */
class SqliteContractTest extends SqlContractTest {

    @TempDir
    static Path directory;

    private static Database db;

    @BeforeAll
    static void connect() {
        db = Database.connect("sqlite:" + directory.resolve("contract.db"), SqlOptions.builder().maxConnections(4).build())
                .block(WAIT);
    }

    @AfterAll
    static void close() {
        db.close().block(WAIT);
    }

    @Override
    Database db() {
        return db;
    }

    /** SQLite has no sleep: counting through a recursive CTE, about ten million rows a second here. */
    @Override
    String sleep(int seconds) {
        return "SELECT (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT " + seconds * 10_000_000L
                + ") SELECT count(*) FROM c) AS n";
    }
}
