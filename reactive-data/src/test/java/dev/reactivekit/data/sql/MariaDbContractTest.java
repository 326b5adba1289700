package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The SQL contract on MariaDB, in a database of its own created on {@code REACTIVEKIT_MARIADB_URL} (this machine
 * and CI have one on 127.0.0.1:3306); skipped, saying so, when the variable is not set.
 */
class MariaDbContractTest extends SqlContractTest {

    private static String adminUrl;
    private static String database;
    private static Database db;

    @BeforeAll
    static void connect() {
        adminUrl = System.getenv("REACTIVEKIT_MARIADB_URL");
        assumeTrue(adminUrl != null && !adminUrl.isBlank(),
                "REACTIVEKIT_MARIADB_URL is not set: the MariaDB contract tests are skipped");
        database = "rk_" + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE DATABASE " + database);
        String base = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1);
        db = Database.connect(base + database, SqlOptions.builder().maxSize(4).build()).block(WAIT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(WAIT);
            admin("DROP DATABASE IF EXISTS " + database);
        }
    }

    private static void admin(String sql) {
        Database admin = Database.connect(adminUrl, SqlOptions.builder().minSize(0).maxSize(1).build()).block(WAIT);
        try {
            admin.execute(sql).block(WAIT);
        } finally {
            admin.close().block(WAIT);
        }
    }

    @Test
    void listenAndNotifyArePostgresqlsAndSaySo() {
        StepVerifier.create(db.listen("events"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("LISTEN/NOTIFY is PostgreSQL's"))
                .verify(WAIT);
        StepVerifier.create(db.notify("events", "x")).expectError(UnsupportedOperationException.class).verify(WAIT);
    }

    @Override
    Database db() {
        return db;
    }

    @Override
    String sleep(int seconds) {
        return "SELECT SLEEP(" + seconds + ")";
    }
}
