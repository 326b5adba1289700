package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** What is SQLite's own: the offload, the single writer beside readers, in-memory databases, types, errors. */
class SqliteDatabaseTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SLOW = "SELECT (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
            + " LIMIT 1000000000) SELECT count(*) FROM c) AS n";

    @TempDir
    Path directory;

    private Database db;

    @BeforeEach
    void open() {
        db = Database.connect("sqlite:" + directory.resolve("app.db"), SqlOptions.builder().maxConnections(3).build())
                .block(WAIT);
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, active BOOLEAN,"
                + " born DATE, photo BLOB, score REAL)").block(WAIT);
    }

    @AfterEach
    void close() {
        db.close().block(WAIT);
    }

    private long count(Database database) {
        return database.queryOne("SELECT count(*) AS n FROM users").map(r -> r.getLong("n")).block(WAIT);
    }

    @Test
    void statementsRunOnTheOffloadThreadsNeverTheCallers() {
        // Subscribed from a non-blocking thread: BlockHound (installed in every test JVM) would fail any JDBC call
        // made on it.
        StepVerifier.create(Mono.defer(() -> db.execute("INSERT INTO users(name) VALUES ($1)", "ann"))
                        .subscribeOn(Schedulers.parallel())
                        .then(db.queryOne("SELECT name FROM users").map(r -> Thread.currentThread().getName())))
                .assertNext(thread -> assertThat(thread).startsWith("reactivekit-sqlite"))
                .verifyComplete();
    }

    @Test
    void theSingleWriterQueuesConcurrentWritersInsteadOfFailingBusy() {
        StepVerifier.create(Flux.range(0, 300)
                        .flatMap(i -> db.execute("INSERT INTO users(name) VALUES ($1)", "user" + i), 300)
                        .reduce(0L, Long::sum))
                .expectNext(300L)
                .verifyComplete();
        assertThat(count(db)).isEqualTo(300);
        assertThat(db.poolStats().max()).as("one writer and two readers").isEqualTo(3);
    }

    @Test
    void readersRunBesideAnOpenWriteTransactionAndSeeOnlyWhatIsCommitted() {
        db.execute("INSERT INTO users(name) VALUES ($1)", "before").block(WAIT);
        Sinks.Empty<Void> gate = Sinks.empty();
        Disposable tx = db.transaction(t -> t.execute("INSERT INTO users(name) VALUES ($1)", "inside")
                .then(gate.asMono()).thenReturn(1)).subscribe();
        assertThat(Poll.until(() -> db.poolStats().inUse() == 1, Duration.ofSeconds(5))).isTrue();
        // The writer is held by the transaction: this SELECT runs on a reader, and sees the committed state.
        assertThat(count(db)).isEqualTo(1);
        gate.tryEmitEmpty();
        assertThat(Poll.until(() -> db.poolStats().inUse() == 0, Duration.ofSeconds(5))).isTrue();
        assertThat(count(db)).isEqualTo(2);
        tx.dispose();
    }

    @Test
    void aFullWriterFailsNamingTheSingleWriter() {
        Database quick = Database.connect("sqlite:" + directory.resolve("quick.db"), SqlOptions.builder().maxConnections(2)
                .maxWait(Duration.ofMillis(200)).build()).block(WAIT);
        try {
            Sinks.Empty<Void> gate = Sinks.empty();
            Disposable holder = quick.transaction(t -> gate.asMono().thenReturn(1)).subscribe();
            assertThat(Poll.until(() -> quick.poolStats().inUse() == 1, Duration.ofSeconds(5))).isTrue();
            StepVerifier.create(quick.execute("CREATE TABLE t (x INT)"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(PoolTimeoutException.class,
                            p -> {
                                assertThat(p.poolSize()).isEqualTo(1);
                                assertThat(p).hasMessageContaining("the single writer");
                            }))
                    .verify(WAIT);
            gate.tryEmitEmpty();
            holder.dispose();
        } finally {
            quick.close().block(WAIT);
        }
    }

    @Test
    void aLockAnotherProcessHoldsPastTheBusyTimeoutFailsTyped() {
        // A second Database on the same file stands for another process: its writer is not ours.
        Database other = Database.connect("sqlite:" + directory.resolve("app.db"), SqlOptions.builder()
                .maxWait(Duration.ofMillis(200)).build()).block(WAIT);
        try {
            Sinks.Empty<Void> gate = Sinks.empty();
            AtomicBoolean locked = new AtomicBoolean();
            Disposable holder = db.transaction(t -> t.execute("INSERT INTO users(name) VALUES ($1)", "locker")
                    .doOnSuccess(n -> locked.set(true)).then(gate.asMono()).thenReturn(1)).subscribe();
            try {
                assertThat(Poll.until(locked::get, Duration.ofSeconds(5))).as("the write lock is held").isTrue();
                StepVerifier.create(other.execute("INSERT INTO users(name) VALUES ($1)", "blocked"))
                        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SqlException.class, s -> {
                            assertThat(s.sqlState()).isEqualTo("55P03");
                            assertThat(s).hasMessageContaining("INSERT INTO users").hasMessageContaining("locked");
                        }))
                        .verify(WAIT);
            } finally {
                gate.tryEmitEmpty();
                holder.dispose();
            }
            assertThat(Poll.until(() -> db.poolStats().inUse() == 0, Duration.ofSeconds(5))).isTrue();
            StepVerifier.create(other.execute("INSERT INTO users(name) VALUES ($1)", "later")).expectNext(1L)
                    .verifyComplete();
        } finally {
            other.close().block(WAIT);
        }
    }

    @Test
    void anInMemoryDatabaseKeepsItsDataWhenACancelledTransactionCostsTheWriter() {
        Database memory = Database.connect("sqlite::memory:").block(WAIT);
        try {
            memory.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)").block(WAIT);
            memory.execute("INSERT INTO users(name) VALUES ($1)", "kept").block(WAIT);
            Disposable cancelled = memory.inTransaction(t -> t.execute("INSERT INTO users(name) VALUES ($1)", "lost")
                    .thenMany(t.query(SLOW))).subscribe(r -> { }, e -> { });
            assertThat(Poll.until(() -> memory.poolStats().inUse() == 1, Duration.ofSeconds(5))).isTrue();
            cancelled.dispose();
            assertThat(Poll.until(() -> memory.poolStats().inUse() == 0, Duration.ofSeconds(10))).isTrue();
            StepVerifier.create(memory.query("SELECT name FROM users").map(r -> r.getString("name")))
                    .expectNext("kept")
                    .verifyComplete();
            assertThat(memory.poolStats().max()).as("in memory: the writer only").isEqualTo(1);
        } finally {
            memory.close().block(WAIT);
        }
        // Each in-memory Database is a database of its own.
        Database other = Database.connect("sqlite::memory:").block(WAIT);
        try {
            StepVerifier.create(other.query("SELECT name FROM users")).expectError(SqlException.class).verify(WAIT);
        } finally {
            other.close().block(WAIT);
        }
    }

    @Test
    void aQueryCancelledMidStreamCostsItsReaderNotThePool() {
        db.batch("INSERT INTO users(name) VALUES ($1)", Flux.range(0, 10_000).map(i -> new Object[] {"u" + i}))
                .block(WAIT);
        StepVerifier.create(db.query("SELECT name FROM users ORDER BY id").take(10).count())
                .expectNext(10L)
                .verifyComplete();
        assertThat(Poll.until(() -> db.poolStats().inUse() == 0, Duration.ofSeconds(5))).as("%s", db.poolStats()).isTrue();
        assertThat(count(db)).isEqualTo(10_000);
    }

    @Test
    void theStatementTimeoutInterruptsTheStatement() {
        Database timed = Database.connect("sqlite:" + directory.resolve("timed.db"), SqlOptions.builder()
                .statementTimeout(Duration.ofMillis(200)).build()).block(WAIT);
        try {
            StepVerifier.create(timed.query(SLOW))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                            .hasMessageContaining("SQL"))
                    .verify(WAIT);
            StepVerifier.create(timed.queryOne("SELECT 1 AS one").map(r -> r.getInt("one"))).expectNext(1)
                    .verifyComplete();
        } finally {
            timed.close().block(WAIT);
        }
    }

    @Test
    void valuesAreStoredAsSqliteStoresThemAndReadBackTyped() {
        UUID id = UUID.randomUUID();
        StepVerifier.create(db.insertReturning("INSERT INTO users(name, active, born, photo, score) VALUES ($1, $2,"
                        + " $3, $4, $5) RETURNING *", id, true, LocalDate.of(1990, 5, 17), new byte[] {1, 2, 3}, 2.5))
                .assertNext(row -> {
                    assertThat(row.getString("name")).isEqualTo(id.toString());
                    assertThat(row.getBoolean("active")).isTrue();
                    assertThat(row.getString("born")).isEqualTo("1990-05-17");
                    assertThat(row.get("photo")).isEqualTo(new byte[] {1, 2, 3});
                    assertThat(row.get("score", Double.class)).isEqualTo(2.5);
                    assertThat(row.getLong("id")).isEqualTo(1L);
                })
                .verifyComplete();
        StepVerifier.create(db.execute("INSERT INTO users(name) VALUES ($1), ($2) RETURNING id", "r1", "r2"))
                .as("rows returned count as rows affected, as on PostgreSQL")
                .expectNext(2L)
                .verifyComplete();
        StepVerifier.create(db.queryOne("SELECT date(born, '+1 day') AS next FROM users").map(r -> r.getString("next")))
                .expectNext("1990-05-18")
                .verifyComplete();
        StepVerifier.create(db.execute("INSERT INTO users(name, active) VALUES ($1, $2)", "x", SqlNull.of(Boolean.class)))
                .expectNext(1L)
                .verifyComplete();
        StepVerifier.create(db.execute("INSERT INTO users(name) VALUES ($1)", new Object()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SqlException.class,
                                s -> assertThat(s.sqlState()).isEqualTo("22023"))
                        .hasMessageContaining("parameter $1").hasMessageContaining("java.lang.Object"))
                .verify(WAIT);
    }

    @Test
    void foreignKeysAreEnforcedAndUnnamedConstraintsNameTheirColumns() {
        db.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INT NOT NULL REFERENCES users(id))").block(WAIT);
        StepVerifier.create(db.execute("INSERT INTO posts(user_id) VALUES ($1)", 42))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(ConstraintViolationException.class,
                        c -> assertThat(c.sqlState()).isEqualTo("23503")))
                .verify(WAIT);
        db.execute("INSERT INTO users(name) VALUES ($1)", "dup").block(WAIT);
        StepVerifier.create(db.execute("INSERT INTO users(name) VALUES ($1)", "dup"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(ConstraintViolationException.class,
                        c -> {
                            assertThat(c.constraint()).isEqualTo("users.name");
                            assertThat(c.sqlState()).isEqualTo("23505");
                        }))
                .verify(WAIT);
    }

    @Test
    void badUrlsAndUnopenableFilesFailTyped() throws Exception {
        StepVerifier.create(Database.connect("sqlite:"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("sqlite:path"))
                .verify(WAIT);
        Path missing = directory.resolve("no/such/dir/x.db");
        StepVerifier.create(Database.connect("sqlite:" + missing))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SqlUnavailableException.class)
                        .hasMessageContaining(missing.toString()))
                .verify(WAIT);
        Path notADatabase = Files.writeString(directory.resolve("notes.txt"), "not a database, ".repeat(100));
        StepVerifier.create(Database.connect("sqlite:" + notADatabase))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SqlUnavailableException.class)
                        .hasMessageContaining("notes.txt"))
                .verify(WAIT);
    }

    @Test
    void listenIsPostgresqlsHealthAnswersAndAClosedDatabaseSaysSo() {
        StepVerifier.create(db.listen("events")).expectError(dev.reactivekit.core.ConfigurationException.class).verify(WAIT);
        Database closing = Database.connect("sqlite:" + directory.resolve("closing.db")).block(WAIT);
        StepVerifier.create(closing.health()).assertNext(d -> assertThat(d).isPositive()).verifyComplete();
        closing.close().block(WAIT);
        StepVerifier.create(closing.query("SELECT 1"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ClientClosedException.class)
                        .hasMessage("Database sqlite:" + directory.resolve("closing.db") + " is closed: cannot run SQL 'SELECT 1'"))
                .verify(WAIT);
    }

    @Test
    void aThousandOperationsCancelledAtRandomLeaveEveryConnectionIdleAndEveryTransactionWhole() {
        db.batch("INSERT INTO users(name) VALUES ($1)", Flux.range(0, 2_000).map(i -> new Object[] {"seed" + i}))
                .block(WAIT);
        db.execute("CREATE TABLE pairs (tx INT NOT NULL, part INT NOT NULL)").block(WAIT);
        Random random = new Random(42);
        List<Disposable> operations = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int n = i;
            Flux<?> operation = switch (i % 3) {
                case 0 -> db.query("SELECT name FROM users ORDER BY name");
                case 1 -> db.execute("INSERT INTO users(name) VALUES ($1)", "op" + n).flux();
                default -> db.inTransaction(t -> t.execute("INSERT INTO pairs VALUES ($1, 1)", n)
                        .then(t.execute("INSERT INTO pairs VALUES ($1, 2)", n)));
            };
            Disposable running = operation.subscribe(x -> { }, e -> { });
            operations.add(running);
            Schedulers.parallel().schedule(running::dispose, random.nextInt(50), TimeUnit.MILLISECONDS);
        }
        assertThat(Poll.until(() -> operations.stream().allMatch(Disposable::isDisposed)
                && db.poolStats().inUse() == 0 && db.poolStats().waiting() == 0, Duration.ofSeconds(15)))
                .as("%s", db.poolStats()).isTrue();
        StepVerifier.create(db.query("SELECT tx FROM pairs GROUP BY tx HAVING count(*) <> 2"))
                .as("a transaction lands whole or not at all")
                .verifyComplete();
        StepVerifier.create(db.queryOne("SELECT count(*) AS n FROM users WHERE name LIKE 'seed%'").map(r -> r.getLong("n")))
                .expectNext(2_000L)
                .verifyComplete();
    }

    @Test
    void aHundredThousandRowBatchLandsExactlyOnce() {
        StepVerifier.create(db.batch("INSERT INTO users(id, name, score) VALUES ($1, $2, $3)",
                        Flux.range(1, 100_000).map(i -> new Object[] {i, "user" + i, i / 2.0})))
                .expectNext(100_000L)
                .verifyComplete();
        StepVerifier.create(db.queryOne("SELECT count(*) AS n, count(DISTINCT name) AS names, sum(id) AS s FROM users"))
                .assertNext(r -> {
                    assertThat(r.getLong("n")).isEqualTo(100_000L);
                    assertThat(r.getLong("names")).isEqualTo(100_000L);
                    assertThat(r.getLong("s")).isEqualTo(100_000L * 100_001 / 2);
                })
                .verifyComplete();
    }
}
