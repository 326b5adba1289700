package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reactivekit.core.testing.LogCapture;
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
        db = Database.connect(base + database, SqlOptions.builder().maxConnections(4).build()).block(WAIT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(WAIT);
            admin("DROP DATABASE IF EXISTS " + database);
        }
    }

    private static void admin(String sql) {
        Database admin = Database.connect(adminUrl, SqlOptions.builder().minConnections(0).maxConnections(1).build()).block(WAIT);
        try {
            admin.execute(sql).block(WAIT);
        } finally {
            admin.close().block(WAIT);
        }
    }

    @Test
    void listenAndNotifyArePostgresqlsAndSaySo() {
        StepVerifier.create(db.listen("events"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("LISTEN/NOTIFY is PostgreSQL's"))
                .verify(WAIT);
        StepVerifier.create(db.notify("events", "x")).expectError(dev.reactivekit.core.ConfigurationException.class).verify(WAIT);
    }

    @Test
    void aWrongPasswordOrAMissingDatabaseIsPermanentAndTypedAsOnPostgresql() {
        String hostPort = adminUrl.substring(adminUrl.indexOf('@') + 1, adminUrl.lastIndexOf('/'));
        StepVerifier.create(Database.connect("mariadb://root:wrong-password@" + hostPort + "/" + database))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.AuthenticationException.class)
                        .hasMessageStartingWith("cannot log in to mariadb://" + hostPort + "/" + database)
                        .hasMessageNotContaining("wrong-password")
                        .satisfies(x -> assertThat(dev.reactivekit.core.Failures.isTransient(x)).isFalse()))
                .verify(WAIT);
        StepVerifier.create(Database.connect(adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + "no_such_database"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("no_such_database"))
                .verify(WAIT);
    }

    @Test
    void aServerErrorIsTheCallersExceptionAloneNotAlsoADriverWarning() {
        try (LogCapture driver = LogCapture.of("org.mariadb.r2dbc")) {
            StepVerifier.create(db.execute("SELEC 1")).expectError(SqlException.class).verify(WAIT);
            StepVerifier.create(Database.connect(adminUrl.replace("root@", "root:wrong-password@")))
                    .expectError(dev.reactivekit.core.AuthenticationException.class)
                    .verify(WAIT);
            assertThat(driver.lines()).noneMatch(line -> line.startsWith("WARN") || line.startsWith("ERROR"));
        }
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
