package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.AuthenticationException;
import dev.reactivekit.core.ConfigurationException;
import dev.reactivekit.core.Failures;
import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.testing.LogCapture;
import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Transactions, batches, cancellation, timeouts and the pool on PostgreSQL. */
class DatabaseTransactionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String url;
    private static Database db;

    @BeforeAll
    static void connect() {
        url = TestPostgres.schemaUrl(DatabaseTransactionTest.class);
        db = Database.connect(url, SqlOptions.builder().minConnections(2).maxConnections(4).build()).block(WAIT);
        db.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL CHECK (balance >= 0))")
                .block(WAIT);
        db.execute("CREATE TABLE users (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, email TEXT)").block(WAIT);
    }

    @AfterAll
    static void close() {
        db.close().block(WAIT);
        TestPostgres.dropSchema(url);
    }

    @BeforeEach
    void reset() {
        db.execute("TRUNCATE accounts, users").block(WAIT);
        db.execute("INSERT INTO accounts VALUES (1, 100), (2, 0)").block(WAIT);
    }

    private static long balance(int id) {
        return db.queryOne("SELECT balance FROM accounts WHERE id = $1", id).map(r -> r.getLong("balance")).block(WAIT);
    }

    private static long count(String table) {
        return db.queryOne("SELECT count(*) AS n FROM " + table).map(r -> r.getLong("n")).block(WAIT);
    }

    private static boolean allIdle() {
        return Poll.until(() -> db.poolStats().inUse() == 0, Duration.ofSeconds(10));
    }

    @Test
    void aTransactionCommitsWhenItsStreamCompletes() {
        StepVerifier.create(db.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = balance - 30 WHERE id = 1")
                        .then(tx.execute("UPDATE accounts SET balance = balance + 30 WHERE id = 2"))))
                .expectNext(1L)
                .verifyComplete();
        assertThat(balance(1)).isEqualTo(70);
        assertThat(balance(2)).isEqualTo(30);
        assertThat(allIdle()).isTrue();
    }

    @Test
    void transactionGivesOneResultAndCommits() {
        StepVerifier.create(db.transaction(tx -> tx.execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1")
                        .then(tx.execute("UPDATE accounts SET balance = balance + 10 WHERE id = 2"))))
                .expectNext(1L)
                .verifyComplete();
        assertThat(balance(1)).isEqualTo(90);
        assertThat(balance(2)).isEqualTo(10);
        // Ending the stream early cancels it, and a cancelled transaction rolls back.
        StepVerifier.create(db.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = 0 WHERE id = 1")).next())
                .expectNext(1L)
                .verifyComplete();
        assertThat(Poll.until(() -> db.poolStats().inUse() == 0, Duration.ofSeconds(10))).isTrue();
        assertThat(balance(1)).isEqualTo(90);
    }

    @Test
    void aFailureRollsEverythingBack() {
        StepVerifier.create(db.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = balance + 500 WHERE id = 2")
                        .then(tx.execute("UPDATE accounts SET balance = balance - 500 WHERE id = 1"))))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConstraintViolationException.class)
                        .hasMessageContaining("accounts_balance_check"))
                .verify(WAIT);
        assertThat(balance(1)).isEqualTo(100);
        assertThat(balance(2)).as("the first update was rolled back").isEqualTo(0);
        assertThat(allIdle()).isTrue();
    }

    @Test
    void cancellingATransactionRollsItBack() {
        Disposable running = db.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
                        .thenMany(tx.query("SELECT pg_sleep(30)")))
                .subscribe();
        assertThat(Poll.until(() -> db.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'")
                .hasElements().block(WAIT), Duration.ofSeconds(10))).isTrue();
        running.dispose();
        assertThat(allIdle()).isTrue();
        assertThat(Poll.until(() -> balance(1) == 100, Duration.ofSeconds(10))).as("rolled back").isTrue();
    }

    @Test
    void aTransactionCancelledAtAnyMomentGivesBackNoConnectionInsideATransaction() {
        // Cancelled while BEGIN, the first statement or the sleep is in flight: whichever it was, no statement of
        // it runs outside the transaction (committed at once) and no connection goes back to the pool inside it
        // (where the next borrower's statements would run and then be rolled back). The driver logs at DEBUG
        // when it skips a BEGIN because the connection it was given is inside a transaction already.
        ch.qos.logback.classic.Logger driver = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("io.r2dbc.postgresql.PostgresqlConnection");
        ch.qos.logback.classic.Level level = driver.getLevel();
        driver.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (LogCapture log = LogCapture.of(driver.getName())) {
            for (int i = 0; i < 200; i++) {
                Disposable running = db.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
                                .thenMany(tx.query("SELECT pg_sleep(1)")))
                        .subscribe(r -> { }, e -> { });
                // The connection is counted in use just before BEGIN is sent: from then on, at growing offsets.
                long start = System.nanoTime();
                while (db.poolStats().inUse() == 0 && System.nanoTime() - start < 5_000_000_000L) {
                    Thread.onSpinWait();
                }
                for (long acquired = System.nanoTime(); System.nanoTime() - acquired < (i % 10) * 50_000L; ) {
                    Thread.onSpinWait();
                }
                running.dispose();
                assertThat(allIdle()).as("round %d, pool %s", i, db.poolStats()).isTrue();
            }
            assertThat(log.lines()).as("BEGINs skipped on a connection given back inside a transaction")
                    .noneMatch(line -> line.contains("Skipping begin transaction"));
        } finally {
            driver.setLevel(level);
        }
        // Seen from a connection of another pool: one of the pool's own would not see itself idle in a
        // transaction, and would read that transaction's uncommitted update.
        Database observer = Database.connect(url, SqlOptions.builder().minConnections(0).maxConnections(1).build())
                .block(WAIT);
        try {
            assertThat(Poll.until(() -> observer.queryOne("SELECT count(*) AS n FROM pg_stat_activity "
                            + "WHERE datname = current_database() AND state LIKE 'idle in transaction%'")
                    .map(r -> r.getLong("n")).block(WAIT) == 0, Duration.ofSeconds(5)))
                    .as("connections left inside a transaction").isTrue();
            assertThat(observer.queryOne("SELECT balance FROM accounts WHERE id = 1").map(r -> r.getLong("balance"))
                    .block(WAIT)).as("every cancelled update was rolled back").isEqualTo(100);
        } finally {
            observer.close().block(WAIT);
        }
    }

    @Test
    void aStatementOfATransactionThatHasEndedIsRefused() {
        java.util.concurrent.atomic.AtomicReference<Transaction> kept = new java.util.concurrent.atomic.AtomicReference<>();
        StepVerifier.create(db.transaction(tx -> {
                    kept.set(tx);
                    return tx.execute("UPDATE accounts SET balance = 50 WHERE id = 1");
                }))
                .expectNext(1L)
                .verifyComplete();
        StepVerifier.create(kept.get().execute("UPDATE accounts SET balance = 0 WHERE id = 1"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("the transaction has ended"))
                .verify(WAIT);
        assertThat(balance(1)).isEqualTo(50);
        assertThat(allIdle()).isTrue();
    }

    @Test
    void isolationLevelsAreApplied() {
        StepVerifier.create(db.inTransaction(TransactionIsolation.SERIALIZABLE,
                        tx -> tx.queryOne("SHOW transaction_isolation").map(r -> r.getString("transaction_isolation"))))
                .expectNext("serializable")
                .verifyComplete();
    }

    @Test
    void aBatchOfOneHundredThousandRowsLandsExactlyOnce() {
        int n = 100_000;
        Flux<Object[]> rows = Flux.range(0, n).map(i -> new Object[] {"user" + i, "user" + i + "@example.com"});
        StepVerifier.create(db.batch("INSERT INTO users(name, email) VALUES($1, $2)", rows))
                .expectNext((long) n)
                .verifyComplete();
        assertThat(count("users")).isEqualTo(n);
        assertThat(db.queryOne("SELECT count(DISTINCT name) AS n FROM users").map(r -> r.getLong("n")).block(WAIT))
                .isEqualTo(n);
    }

    @Test
    void aFailingBatchLandsNothing() {
        Flux<Object[]> rows = Flux.range(0, 2_500).map(i -> new Object[] {i == 2_400 ? SqlNull.of(String.class) : "u" + i});
        StepVerifier.create(db.batch("INSERT INTO users(name) VALUES($1)", rows))
                .expectError(ConstraintViolationException.class)
                .verify(WAIT);
        assertThat(count("users")).isZero();
    }

    @Test
    void cancellingAThousandQueriesInFlightLeavesEveryConnectionIdle() {
        List<Disposable> queries = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            queries.add(db.query("SELECT pg_sleep(0.01), generate_series(1, 100)").subscribe(r -> { }, e -> { }));
        }
        queries.forEach(Disposable::dispose);
        assertThat(allIdle()).as("pool %s", db.poolStats()).isTrue();
        StepVerifier.create(db.queryOne("SELECT 1 AS one").map(r -> r.getInt("one"))).expectNext(1).verifyComplete();
        StepVerifier.create(Flux.range(0, 20).flatMap(i -> db.queryOne("SELECT $1::int AS n", i)).count())
                .expectNext(20L)
                .verifyComplete();
    }

    @Test
    void aFullWaitQueueFailsAtOnceNamingTheSetting() {
        Database small = Database.connect(url, SqlOptions.builder().minConnections(1).maxConnections(1).maxWaiters(1)
                .build()).block(WAIT);
        try {
            Disposable holder = small.query("SELECT pg_sleep(5)").subscribe(r -> { }, e -> { });
            assertThat(Poll.until(() -> small.poolStats().inUse() == 1, Duration.ofSeconds(5))).isTrue();
            Disposable waiter = small.query("SELECT 1").subscribe(r -> { }, e -> { });
            assertThat(Poll.until(() -> small.poolStats().waiting() == 1, Duration.ofSeconds(5))).isTrue();
            StepVerifier.create(small.query("SELECT 2"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PoolTimeoutException.class)
                            .hasMessageEndingWith(": 1 callers already waiting for a connection (maxWaiters 1)"))
                    .verify(Duration.ofSeconds(2));
            waiter.dispose();
            holder.dispose();
        } finally {
            small.close().block(WAIT);
        }
    }

    @Test
    void aFullPoolFailsAfterTheAcquireTimeoutNamingItsSize() {
        Database small = Database.connect(url, SqlOptions.builder().minConnections(1).maxConnections(1)
                .maxWait(Duration.ofMillis(300)).build()).block(WAIT);
        try {
            Disposable holder = small.query("SELECT pg_sleep(5)").subscribe(r -> { }, e -> { });
            assertThat(Poll.until(() -> small.poolStats().inUse() == 1, Duration.ofSeconds(5))).isTrue();
            StepVerifier.create(small.query("SELECT 1"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PoolTimeoutException.class)
                            .hasMessageEndingWith(": no connection free within 300ms, all 1 in use (maxConnections 1, maxWait 300ms)")
                            .satisfies(x -> assertThat(((PoolTimeoutException) x).poolSize()).isEqualTo(1)))
                    .verify(WAIT);
            holder.dispose();
        } finally {
            small.close().block(WAIT);
        }
    }

    @Test
    void theStatementTimeoutIsEnforcedByTheServer() {
        Database strict = Database.connect(url, SqlOptions.builder().maxConnections(1)
                .statementTimeout(Duration.ofMillis(200)).build()).block(WAIT);
        try {
            StepVerifier.create(strict.query("SELECT pg_sleep(5)"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                            .hasMessageContaining("SQL 'SELECT pg_sleep(5)'"))
                    .verify(Duration.ofSeconds(4));
            StepVerifier.create(strict.queryOne("SELECT 2 AS two").map(r -> r.getInt("two"))).expectNext(2).verifyComplete();
        } finally {
            strict.close().block(WAIT);
        }
    }

    @Test
    void aConnectionKilledOnTheServerIsDiscardedAndLaterQueriesSucceed() {
        Database victim = Database.connect(url, SqlOptions.builder().minConnections(1).maxConnections(1).build()).block(WAIT);
        try {
            long pid = victim.queryOne("SELECT pg_backend_pid() AS pid").map(r -> r.getLong("pid")).block(WAIT);
            StepVerifier.create(db.queryOne("SELECT pg_terminate_backend($1::int) AS killed", (int) pid)
                            .map(r -> r.getBoolean("killed")))
                    .expectNext(true)
                    .verifyComplete();
            assertThat(Poll.until(() -> {
                try {
                    return victim.queryOne("SELECT 3 AS three").map(r -> r.getInt("three")).block(WAIT) == 3;
                } catch (RuntimeException e) {
                    return false;
                }
            }, Duration.ofSeconds(10))).isTrue();
            long newPid = victim.queryOne("SELECT pg_backend_pid() AS pid").map(r -> r.getLong("pid")).block(WAIT);
            assertThat(newPid).isNotEqualTo(pid);
        } finally {
            victim.close().block(WAIT);
        }
    }

    @Test
    void closeWaitsForWorkInFlightThenRefusesNewWork() {
        Database closing = Database.connect(url, SqlOptions.builder().maxConnections(2).build()).block(WAIT);
        Mono<Long> inFlight = closing.queryOne("SELECT 5 AS five FROM pg_sleep(0.3)").map(r -> r.getLong("five")).cache();
        inFlight.subscribe();
        assertThat(Poll.until(() -> closing.poolStats().inUse() == 1, Duration.ofSeconds(5))).isTrue();
        StepVerifier.create(closing.close(Duration.ofSeconds(5))).verifyComplete();
        StepVerifier.create(inFlight).expectNext(5L).verifyComplete();
        StepVerifier.create(closing.query("SELECT 1"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ClientClosedException.class)
                        .hasMessageContaining("is closed: cannot run SQL 'SELECT 1'"))
                .verify(WAIT);
    }

    @Test
    void aDeadServerOrAMalformedUrlFailsTheConnectClearly() {
        StepVerifier.create(Database.connect("postgresql://user:s3cret@127.0.0.1:1/db"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SqlUnavailableException.class)
                        .hasMessageStartingWith("cannot connect to postgresql://127.0.0.1:1/db")
                        .hasMessageNotContaining("s3cret"))
                .verify(WAIT);
        StepVerifier.create(Database.connect("postgresql://user:s3cret@127.0.0.1:notaport/db"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("***@")
                        .hasMessageNotContaining("s3cret"))
                .verify(WAIT);
        StepVerifier.create(Database.connect("sqlserver://x"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("expected postgresql:// or mariadb://"))
                .verify(WAIT);
        StepVerifier.create(Database.connect(url + "&sslmode=require"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("unknown parameter 'sslmode'"))
                .verify(WAIT);
        StepVerifier.create(Database.connect("mariadb://root@127.0.0.1:1/db?schema=x"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageContaining("schema is PostgreSQL's"))
                .verify(WAIT);
    }

    @Test
    void aMissingDatabaseOrRoleIsRefusedAsPermanentNamingTheServer() {
        String server = url.substring(0, url.indexOf("://") + 3);
        String hostPort = url.substring(url.indexOf('@') + 1, url.indexOf('/', url.indexOf('@')));
        StepVerifier.create(Database.connect(server + "postgres@" + hostPort + "/no_such_database"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConfigurationException.class)
                        .hasMessageStartingWith("cannot connect to postgresql://" + hostPort + "/no_such_database")
                        .hasMessageEndingWith("(SQLSTATE 3D000)")
                        .satisfies(x -> assertThat(Failures.isTransient(x)).isFalse()))
                .verify(WAIT);
        StepVerifier.create(Database.connect(server + "no_such_role@" + hostPort + "/postgres"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(AuthenticationException.class)
                        .hasMessageStartingWith("cannot log in to postgresql://" + hostPort + "/postgres")
                        .hasMessageContaining("(SQLSTATE 28")
                        .satisfies(x -> assertThat(Failures.isTransient(x)).isFalse()))
                .verify(WAIT);
    }
}
