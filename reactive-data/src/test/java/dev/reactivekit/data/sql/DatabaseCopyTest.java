package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** COPY FROM STDIN on PostgreSQL: {@code copyRecords}, and {@code batch} running as COPY. */
class DatabaseCopyTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> COLUMNS = List.of("id", "name", "note", "active", "at", "data", "ref");

    private static String url;
    private static Database db;

    @BeforeAll
    static void connect() {
        url = TestPostgres.schemaUrl(DatabaseCopyTest.class);
        db = Database.connect(url, SqlOptions.builder().maxConnections(4).build()).block(WAIT);
    }

    @AfterAll
    static void close() {
        db.close().block(WAIT);
        TestPostgres.dropSchema(url);
    }

    @BeforeEach
    void table() {
        db.execute("DROP TABLE IF EXISTS events").block(WAIT);
        db.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, note TEXT, active BOOLEAN,"
                + " at TIMESTAMPTZ, data BYTEA, ref UUID)").block(WAIT);
    }

    private long count() {
        return db.queryOne("SELECT count(*) AS n FROM events").map(r -> r.getLong("n")).block(WAIT);
    }

    private static Object[] record(long i) {
        return new Object[] {i, "event" + i, i % 3 == 0 ? SqlNull.of(String.class) : "note " + i, i % 2 == 0,
                OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusSeconds(i), new byte[] {(byte) i},
                new UUID(0, i)};
    }

    @Test
    void aHundredThousandRecordsLandExactlyOnce() {
        StepVerifier.create(db.copyRecords("events", COLUMNS, Flux.range(1, 100_000).map(i -> record(i))))
                .expectNext(100_000L)
                .verifyComplete();
        StepVerifier.create(db.queryOne("SELECT count(*) AS n, count(DISTINCT name) AS names, sum(id) AS s,"
                        + " count(note) AS notes FROM events"))
                .assertNext(r -> {
                    assertThat(r.getLong("n")).isEqualTo(100_000L);
                    assertThat(r.getLong("names")).isEqualTo(100_000L);
                    assertThat(r.get("s", Long.class)).isEqualTo(100_000L * 100_001 / 2);
                    assertThat(r.getLong("notes")).isEqualTo(100_000L - 33_333);
                })
                .verifyComplete();
    }

    @Test
    void awkwardValuesRoundTrip() {
        String awkward = "tab\there, line\nbreak\r, back\\slash, \\N, quote' \"double\", unicode \u00e9\u4e2d\ud83d\ude00";
        OffsetDateTime at = OffsetDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000, ZoneOffset.ofHours(2));
        UUID ref = UUID.randomUUID();
        db.copyRecords("events", COLUMNS, Flux.<Object[]>just(new Object[] {1L, awkward, "", true, at,
                new byte[] {0, 9, 10, 13, 92, (byte) 0xff}, ref})).block(WAIT);
        StepVerifier.create(db.queryOne("SELECT * FROM events WHERE id = 1"))
                .assertNext(r -> {
                    assertThat(r.getString("name")).isEqualTo(awkward);
                    assertThat(r.getString("note")).as("empty is not NULL").isEqualTo("");
                    assertThat(r.getBoolean("active")).isTrue();
                    assertThat(r.get("at", OffsetDateTime.class).toInstant()).isEqualTo(at.toInstant());
                    assertThat(r.get("data")).isEqualTo(java.nio.ByteBuffer.wrap(new byte[] {0, 9, 10, 13, 92, (byte) 0xff}));
                    assertThat(r.get("ref")).isEqualTo(ref);
                })
                .verifyComplete();
    }

    @Test
    void aViolationLoadsNothingAndNamesTheConstraint() {
        Flux<Object[]> clashing = Flux.range(1, 5_000).map(i -> i == 4_000 ? new Object[] {(long) i, "event1",
                SqlNull.of(String.class), true, SqlNull.of(OffsetDateTime.class), new byte[0], new UUID(0, i)} : record(i));
        StepVerifier.create(db.copyRecords("events", COLUMNS, clashing))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(ConstraintViolationException.class,
                        c -> assertThat(c.constraint()).isEqualTo("events_name_key")))
                .verify(WAIT);
        assertThat(count()).isZero();
        assertThat(Poll.until(() -> db.poolStats().inUse() == 0, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aRecordThatCannotBeWrittenFailsNamingItAndLoadsNothing() {
        Flux<Object[]> records = Flux.range(1, 2_500).map(i -> i == 2_100
                ? new Object[] {(long) i, "x", "y", true, LocalDateTime.now(), new byte[0], new int[] {1}} : record(i));
        StepVerifier.create(db.copyRecords("events", COLUMNS, records))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("row 2099, value 7")
                        .hasMessageContaining("[I"))
                .verify(WAIT);
        StepVerifier.create(db.copyRecords("events", COLUMNS, Flux.<Object[]>just(new Object[] {1L, "short"})))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("row 0 has 2"))
                .verify(WAIT);
        StepVerifier.create(db.copyRecords("no_such_table", List.of("a"), Flux.<Object[]>just(new Object[] {1})))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SqlException.class,
                        s -> assertThat(s.sqlState()).isEqualTo("42P01")))
                .verify(WAIT);
        assertThat(count()).isZero();
        assertThat(Poll.until(() -> db.poolStats().inUse() == 0, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aCancelledCopyLoadsNothingAndLeavesThePoolUsable() {
        AtomicLong produced = new AtomicLong();
        Disposable copy = db.copyRecords("events", COLUMNS, Flux.range(1, 10_000_000)
                .map(i -> record(i)).doOnNext(r -> produced.incrementAndGet())).subscribe(n -> { }, e -> { });
        assertThat(Poll.until(() -> produced.get() > 20_000, Duration.ofSeconds(10))).isTrue();
        copy.dispose();
        assertThat(Poll.until(() -> db.poolStats().inUse() == 0, Duration.ofSeconds(10))).as("%s", db.poolStats()).isTrue();
        assertThat(count()).isZero();
        StepVerifier.create(db.copyRecords("events", COLUMNS, Flux.range(1, 10).map(i -> record(i))))
                .expectNext(10L)
                .verifyComplete();
    }

    @Test
    void aCopyInsideATransactionRollsBackWithIt() {
        StepVerifier.create(db.transaction(tx -> tx.copyRecords("events", COLUMNS, Flux.range(1, 1_000).map(i -> record(i)))
                        .then(tx.execute("INSERT INTO events(id, name) VALUES ($1, $2)", 1L, "dup"))))
                .expectError(ConstraintViolationException.class)
                .verify(WAIT);
        assertThat(count()).isZero();
    }

    @Test
    void aPlainInsertBatchRunsAsCopyWithTheSameResult() {
        StepVerifier.create(db.batch("INSERT INTO events (id, name, note, active, at, data, ref) VALUES ($1, $2, $3,"
                        + " $4, $5, $6, $7)", Flux.range(1, 10_000).map(i -> record(i))))
                .expectNext(10_000L)
                .verifyComplete();
        assertThat(count()).isEqualTo(10_000);
        StepVerifier.create(db.queryOne("SELECT note, active, data FROM events WHERE id = 4"))
                .assertNext(r -> {
                    assertThat(r.getString("note")).isEqualTo("note 4");
                    assertThat(r.getBoolean("active")).isTrue();
                    assertThat(r.get("data")).isEqualTo(java.nio.ByteBuffer.wrap(new byte[] {4}));
                })
                .verifyComplete();
    }

    @Test
    void chunksCopyCannotWriteGoAsInsertsInTheSameTransaction() {
        db.execute("CREATE TABLE tagged (id INT PRIMARY KEY, tags INT[])").block(WAIT);
        try {
            // Chunks of 10: the second holds arrays (no COPY text form here), the others NULLs.
            Flux<Object[]> rows = Flux.range(0, 30).map(i -> new Object[] {i,
                    i >= 10 && i < 20 ? new Integer[] {i, i + 1} : SqlNull.of(Integer[].class)});
            StepVerifier.create(db.batch("INSERT INTO tagged (id, tags) VALUES ($1, $2)", rows, 10))
                    .expectNext(30L)
                    .verifyComplete();
            StepVerifier.create(db.queryOne("SELECT count(*) AS n, count(tags) AS tagged, sum(tags[2]) AS s FROM tagged"))
                    .assertNext(r -> {
                        assertThat(r.getLong("n")).isEqualTo(30L);
                        assertThat(r.getLong("tagged")).isEqualTo(10L);
                        assertThat(r.getLong("s")).isEqualTo(155L);
                    })
                    .verifyComplete();
            Flux<Object[]> clash = Flux.range(30, 30).map(i -> new Object[] {i == 55 ? 0 : i,
                    i >= 40 && i < 50 ? new Integer[] {i} : SqlNull.of(Integer[].class)});
            StepVerifier.create(db.batch("INSERT INTO tagged (id, tags) VALUES ($1, $2)", clash, 10))
                    .expectError(ConstraintViolationException.class)
                    .verify(WAIT);
            assertThat(db.queryOne("SELECT count(*) AS n FROM tagged").map(r -> r.getLong("n")).block(WAIT))
                    .as("all or nothing across COPY and INSERT chunks").isEqualTo(30L);
        } finally {
            db.execute("DROP TABLE IF EXISTS tagged").block(WAIT);
        }
    }

    @Test
    void copyIsPostgresqlsAndSaysSo() throws Exception {
        Database sqlite = Database.connect("sqlite::memory:").block(WAIT);
        try {
            StepVerifier.create(sqlite.copyRecords("t", List.of("a"), Flux.empty()))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                            .hasMessageContaining("COPY is PostgreSQL's"))
                    .verify(WAIT);
        } finally {
            sqlite.close().block(WAIT);
        }
    }
}
