package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.data.sql.Database;
import dev.reactivekit.data.sql.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingest} against its own httpbin and a real PostgreSQL (and SQLite). */
class IngestTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Running httpbin;
    private static String base;
    private static Database db;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        httpbin = Cli.start("httpbin", "--port", "0");
        base = httpbin.listeningUrl();
        db = Database.connect(TestPostgresServer.url()).block(WAIT);
    }

    @AfterAll
    static void stop() {
        db.close().block(WAIT);
        assertThat(httpbin.stop().exit()).isZero();
    }

    private static String table() {
        return "users_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static long count(String table) {
        return db.queryOne("SELECT count(*) AS n FROM " + table).map(r -> r.getLong("n")).block(WAIT);
    }

    private static Row user(String table, long id) {
        return db.queryOne("SELECT * FROM " + table + " WHERE id = $1", id).block(WAIT);
    }

    private static JsonNode summary(Cli.Result result) throws Exception {
        List<String> lines = result.out().lines().toList();
        assertThat(lines).as("no report; stderr: %s", result.err()).isNotEmpty();
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void ingestsEveryValidRecordAndARerunUpdatesThemWithoutDuplicates() throws Exception {
        String table = table();
        String pages = base + "/users?page={page}&size=100&total=2000&invalid=50";
        Cli.Result first = Cli.run("ingest", pages, "--pages", "20", "--db", TestPostgresServer.url(), "--table", table,
                "--batch-size", "300", "--json");
        assertThat(first.exit()).as(first.err()).isZero();
        JsonNode report = summary(first);
        assertThat(report.get("fetched").asLong()).isEqualTo(2000);
        // Every 50th user is malformed, in turn without email, with age -1, with a blank name.
        assertThat(report.get("rejected").asLong()).isEqualTo(40);
        assertThat(report.get("rejected_by_reason").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("email missing", "age missing or not in 0-150", "name missing or blank");
        assertThat(report.get("written").asLong()).isEqualTo(1960);
        assertThat(count(table)).isEqualTo(1960);
        assertThat(user(table, 50)).as("user 50 was malformed").isNull();
        Map<String, Object> expected = HttpBinService.user(7, 1, false);
        Row seven = user(table, 7);
        assertThat(seven.getString("name")).isEqualTo(expected.get("name"));
        assertThat(seven.getString("email")).isEqualTo(expected.get("email"));
        assertThat(seven.getLong("age")).isEqualTo(((Number) expected.get("age")).longValue());

        Cli.Result rerun = Cli.run("ingest", pages + "&version=2", "--pages", "20", "--db", TestPostgresServer.url(),
                "--table", table, "--json");
        assertThat(rerun.exit()).as(rerun.err()).isZero();
        assertThat(summary(rerun).get("written").asLong()).isEqualTo(1960);
        assertThat(count(table)).as("updated, not duplicated").isEqualTo(1960);
        Map<String, Object> updated = HttpBinService.user(7, 2, false);
        assertThat(user(table, 7).getString("email")).isEqualTo(updated.get("email"));
        assertThat(user(table, 7).getLong("age")).isEqualTo(((Number) updated.get("age")).longValue());
    }

    @Test
    void aFailedBatchIsRolledBackAloneAndNamedByItsIds() {
        String table = table();
        // The table exists with a stricter rule than the validation: users of 80 and over break their batch.
        db.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) "
                + "NOT NULL, age INT NOT NULL CHECK (age < 80), city VARCHAR(100), created_at VARCHAR(40))").block(WAIT);
        int size = 10;
        long expected = 0;
        int failing = 0;
        for (int batch = 0; batch < 30; batch++) {
            boolean breaks = false;
            for (long id = batch * size + 1; id <= (batch + 1) * size; id++) {
                breaks |= ((Number) HttpBinService.user(id, 1, false).get("age")).intValue() >= 80;
            }
            if (breaks) {
                failing++;
            } else {
                expected += size;
            }
        }
        assertThat(failing).as("the data has batches of both kinds").isBetween(1, 29);
        Cli.Result result = Cli.run("ingest", base + "/users?page={page}&size=100&total=300", "--pages", "3",
                "--db", TestPostgresServer.url(), "--table", table, "--batch-size", String.valueOf(size),
                "--concurrency", "1");
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        assertThat(count(table)).as("only the batches without a failure").isEqualTo(expected);
        assertThat(result.out().lines().filter(l -> l.startsWith("failed batch: ids ")).count()).isEqualTo(failing);
        assertThat(result.out()).containsPattern("failed batch: ids \\d+-\\d+ \\(10 records\\) rolled back: .*age");
        assertThat(result.out()).contains(expected + " records written to " + table);
    }

    @Test
    void aFailedPageIsReportedAndTheOthersAreWritten() throws Exception {
        String table = table();
        Cli.Result result = Cli.run("ingest", base + "/users?page=1&size=50", base + "/status/500", base + "/html",
                base + "/users?page=2&size=50", "--db", TestPostgresServer.url(), "--table", table, "--retries", "0",
                "--json");
        assertThat(result.exit()).isEqualTo(1);
        JsonNode report = summary(result);
        assertThat(report.get("pages_failed").asInt()).isEqualTo(2);
        assertThat(report.get("failed_pages").toString()).contains("/status/500").contains("/html: not JSON");
        assertThat(report.get("written").asLong()).isEqualTo(100);
        assertThat(count(table)).isEqualTo(100);
    }

    @Test
    void ctrlCStopsBetweenBatchesAndWhatItReportsWrittenIsInTheTable() throws Exception {
        String table = table();
        Cli.Running running = Cli.start("ingest", base + "/users?page={page}&size=1000&total=1000000", "--pages", "1000",
                "--db", TestPostgresServer.url(), "--table", table, "--batch-size", "1000", "--concurrency", "2", "--json");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long seen = 0;
        while (seen == 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            try {
                seen = count(table);
            } catch (RuntimeException e) {
                // the table is not there yet
            }
        }
        assertThat(seen).as("a first batch written").isPositive();
        Cli.Result result = running.interrupt().await(Duration.ofSeconds(30));
        assertThat(result.exit()).as(result.err()).isEqualTo(130);
        long written = summary(result).get("written").asLong();
        assertThat(written).isBetween(1L, 999_999L);
        assertThat(count(table)).as("every batch reported written is there, nothing half-written").isEqualTo(written);
    }

    @Test
    void writesToSqliteToo() throws Exception {
        String url = "sqlite:" + dir.resolve("users.db");
        Cli.Result result = Cli.run("ingest", base + "/users?page={page}&size=100&total=500", "--pages", "5",
                "--db", url, "--json");
        assertThat(result.exit()).as(result.err()).isZero();
        Cli.Result again = Cli.run("ingest", base + "/users?page={page}&size=100&total=500&version=3", "--pages", "5",
                "--db", url, "--json");
        assertThat(again.exit()).as(again.err()).isZero();
        Database sqlite = Database.connect(url).block(WAIT);
        try {
            assertThat(sqlite.queryOne("SELECT count(*) AS n FROM ingest_users").map(r -> r.getLong("n")).block(WAIT))
                    .isEqualTo(500);
            assertThat(sqlite.queryOne("SELECT email FROM ingest_users WHERE id = 9").map(r -> r.getString("email"))
                    .block(WAIT)).isEqualTo(HttpBinService.user(9, 3, false).get("email"));
        } finally {
            sqlite.close().block(WAIT);
        }
    }

    @Test
    void writesToMariaDbWhenOneIsGiven() throws Exception {
        String url = System.getenv("REACTIVEKIT_MARIADB_URL");
        org.junit.jupiter.api.Assumptions.assumeTrue(url != null && !url.isBlank(),
                "REACTIVEKIT_MARIADB_URL is not set: ingest into MariaDB not tried");
        String table = table();
        for (int version = 1; version <= 2; version++) {
            Cli.Result result = Cli.run("ingest", base + "/users?page={page}&size=100&total=300&version=" + version,
                    "--pages", "3", "--db", url, "--table", table, "--json");
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(summary(result).get("written").asLong()).isEqualTo(300);
        }
        Database maria = Database.connect(url).block(WAIT);
        try {
            assertThat(maria.queryOne("SELECT count(*) AS n FROM " + table).map(r -> r.getLong("n")).block(WAIT))
                    .isEqualTo(300);
            assertThat(maria.queryOne("SELECT email FROM " + table + " WHERE id = 5").map(r -> r.getString("email"))
                    .block(WAIT)).isEqualTo(HttpBinService.user(5, 2, false).get("email"));
            maria.execute("DROP TABLE " + table).block(WAIT);
        } finally {
            maria.close().block(WAIT);
        }
    }

    @Test
    void withoutADatabaseItStartsAnEmbeddedPostgresForTheRun() {
        Cli.Result result = Cli.run("ingest", base + "/users?page=1&size=100");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).contains("starting an embedded PostgreSQL");
        assertThat(result.out()).contains("100 records written to ingest_users");
    }

    @Test
    void badInputIsAOneLineError() {
        Cli.Result scheme = Cli.run("ingest", base + "/users", "--db", "oracle://db/x");
        assertThat(scheme.exit()).isEqualTo(2);
        assertThat(scheme.err()).contains("--db must be a postgresql://, mariadb:// or sqlite: URL");
        Cli.Result table = Cli.run("ingest", base + "/users", "--db", "sqlite::memory:", "--table", "users; DROP");
        assertThat(table.exit()).isEqualTo(2);
        assertThat(table.err()).contains("--table must be a plain SQL name");
        Cli.Result url = Cli.run("ingest", "not a url", "--db", "sqlite::memory:");
        assertThat(url.exit()).isEqualTo(2);
        Cli.Result unreachable = Cli.run("ingest", base + "/users", "--db", "postgresql://postgres@127.0.0.1:1/x");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err().lines().filter(l -> l.startsWith("error: ")).toList()).hasSize(1);
        assertThat(unreachable.err()).contains("127.0.0.1:1").doesNotContain("\tat ");
    }
}
