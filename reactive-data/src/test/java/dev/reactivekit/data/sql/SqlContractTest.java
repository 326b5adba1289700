package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.DeadlineExceededException;
import dev.reactivekit.core.testing.Deadlines;
import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The API contract every backend keeps, in portable SQL: each backend's subclass supplies a database of its own
 * and the one statement that differs (a slow one).
 */
abstract class SqlContractTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** The database under test, with a fresh {@code items} table. */
    abstract Database db();

    /** A statement that runs for about {@code seconds}. */
    abstract String sleep(int seconds);

    @BeforeEach
    void createTable() {
        db().execute("DROP TABLE IF EXISTS items").block(WAIT);
        db().execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty INT, "
                + "CONSTRAINT items_name_key UNIQUE (name))").block(WAIT);
    }

    private long count() {
        return db().queryOne("SELECT count(*) AS n FROM items").map(r -> r.getLong("n")).block(WAIT);
    }

    @Test
    void executeQueryAndRows() {
        StepVerifier.create(db().execute("INSERT INTO items(id, name, qty) VALUES ($1, $2, $3), ($4, $5, $6)",
                        1, "apple", 3, 2, "pear", 5))
                .expectNext(2L)
                .verifyComplete();
        StepVerifier.create(db().query("SELECT id, name, qty FROM items ORDER BY id").map(Row::toMap)
                        .map(m -> m.get("name") + "=" + m.get("qty")))
                .expectNext("apple=3", "pear=5")
                .verifyComplete();
        StepVerifier.create(db().queryOne("SELECT qty FROM items WHERE name = $1", "pear").map(r -> r.getLong("qty")))
                .expectNext(5L)
                .verifyComplete();
        StepVerifier.create(db().queryOne("SELECT qty FROM items WHERE name = $1", "none")).verifyComplete();
        StepVerifier.create(db().querySingle("SELECT id FROM items"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SqlException.class,
                        s -> assertThat(s.sqlState()).isEqualTo("21000")))
                .verify(WAIT);
        StepVerifier.create(db().execute("UPDATE items SET qty = qty + $1 WHERE qty > $2", 10, 0)).expectNext(2L)
                .verifyComplete();
    }

    /** A row of {@code items}, read by column name; {@code qty} may be NULL. */
    record Item(long id, String name, Integer qty) {
    }

    /** Column {@code item_name} read by component {@code itemName}. */
    record Renamed(int id, String itemName) {
    }

    record NeedsPrice(long id, String name, long price) {
    }

    record PrimitiveQty(long id, int qty) {
    }

    record NumberName(long id, long name) {
    }

    @Test
    void rowsBecomeRecordsByColumnName() {
        db().execute("INSERT INTO items(id, name, qty) VALUES ($1, $2, $3), ($4, $5, NULL)", 1, "apple", 3, 2, "pear")
                .block(WAIT);
        StepVerifier.create(db().query("SELECT qty, name, id FROM items ORDER BY id", Item.class))
                .expectNext(new Item(1, "apple", 3), new Item(2, "pear", null))
                .verifyComplete();
        StepVerifier.create(db().queryOne("SELECT id, name AS item_name FROM items WHERE id = $1", Renamed.class, 2))
                .expectNext(new Renamed(2, "pear"))
                .verifyComplete();
        StepVerifier.create(db().queryOne("SELECT * FROM items WHERE id = $1", Item.class, 1).map(Item::name))
                .expectNext("apple")
                .verifyComplete();
    }

    @Test
    void aRowThatDoesNotFitTheRecordIsAnErrorNamingTheComponent() {
        db().execute("INSERT INTO items(id, name, qty) VALUES ($1, $2, NULL)", 1, "apple").block(WAIT);
        StepVerifier.create(db().query("SELECT id, name FROM items", NeedsPrice.class))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RowMappingException.class)
                        .hasMessageContaining("NeedsPrice").hasMessageContaining("component 'price'")
                        .hasMessageContaining("id").hasMessageContaining("name"))
                .verify(WAIT);
        StepVerifier.create(db().query("SELECT id, qty FROM items", PrimitiveQty.class))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RowMappingException.class)
                        .hasMessageContaining("'qty' is NULL").hasMessageContaining("Integer"))
                .verify(WAIT);
        StepVerifier.create(db().query("SELECT id, name FROM items", NumberName.class))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RowMappingException.class)
                        .hasMessageContaining("component 'name' is a long").hasMessageContaining("column 'name'"))
                .verify(WAIT);
    }

    @Test
    void parametersMayRepeatAndComeInAnyOrder() {
        db().execute("INSERT INTO items(id, name, qty) VALUES ($2, $1, $2)", "seven", 7).block(WAIT);
        StepVerifier.create(db().queryOne("SELECT id, name, qty FROM items WHERE name = $1 AND id = $2 AND qty = $2",
                        "seven", 7).map(r -> r.getLong("qty")))
                .expectNext(7L)
                .verifyComplete();
        // Refused at call time: nothing to subscribe to.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 2 parameter(s)");
        StepVerifier.create(db().queryOne("SELECT '$1 is not a parameter' AS text").map(r -> r.getString("text")))
                .expectNext("$1 is not a parameter")
                .verifyComplete();
    }

    @Test
    void injectionAttemptsAreStoredVerbatim() {
        String evil = "x'); DROP TABLE items; --";
        db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 1, evil).block(WAIT);
        StepVerifier.create(db().queryOne("SELECT name FROM items WHERE id = $1", 1).map(r -> r.getString("name")))
                .expectNext(evil)
                .verifyComplete();
    }

    @Test
    void constraintViolationsNameTheConstraint() {
        db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 1, "someone@example.com").block(WAIT);
        StepVerifier.create(db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 2, "someone@example.com"))
                .expectErrorSatisfies(e -> assertThat(e)
                        // the same kind and SQLSTATE class on every backend, and never the value bound
                        .isInstanceOfSatisfying(ConstraintViolationException.class, c -> {
                            assertThat(c.constraint()).isEqualTo("items_name_key");
                            assertThat(c.kind()).isEqualTo(ConstraintViolationException.Kind.UNIQUE);
                            assertThat(c.sqlState()).startsWith("23");
                        })
                        .hasMessageNotContaining("someone@example.com"))
                .verify(WAIT);
        StepVerifier.create(db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 3, SqlNull.of(String.class)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(ConstraintViolationException.class,
                        c -> assertThat(c.kind()).isEqualTo(ConstraintViolationException.Kind.NOT_NULL)))
                .verify(WAIT);
        StepVerifier.create(db().query("SELECT * FROM no_such_table")).expectError(SqlException.class).verify(WAIT);
    }

    @Test
    void transactionsCommitOrRollBack() {
        StepVerifier.create(db().transaction(tx -> tx.execute("INSERT INTO items(id, name) VALUES ($1, $2)", 1, "a")
                        .then(tx.execute("INSERT INTO items(id, name) VALUES ($1, $2)", 2, "b"))))
                .expectNext(1L)
                .verifyComplete();
        StepVerifier.create(db().transaction(tx -> tx.execute("INSERT INTO items(id, name) VALUES ($1, $2)", 3, "c")
                        .then(tx.execute("INSERT INTO items(id, name) VALUES ($1, $2)", 4, "a"))))
                .expectError(ConstraintViolationException.class)
                .verify(WAIT);
        assertThat(count()).isEqualTo(2);
        Disposable cancelled = db().inTransaction(tx -> tx.execute("INSERT INTO items(id, name) VALUES ($1, $2)", 5, "e")
                .thenMany(tx.query(sleep(1)))).subscribe(r -> { }, e -> { });
        assertThat(Poll.until(() -> db().poolStats().inUse() == 1, Duration.ofSeconds(5))).isTrue();
        cancelled.dispose();
        assertThat(Poll.until(() -> db().poolStats().inUse() == 0, Duration.ofSeconds(10))).isTrue();
        assertThat(count()).as("the cancelled transaction was rolled back").isEqualTo(2);
    }

    @Test
    void aBatchLandsEveryRowExactlyOnceOrNone() {
        Flux<Object[]> rows = Flux.range(0, 2_500).map(i -> new Object[] {i, "item" + i, i % 7});
        StepVerifier.create(db().batch("INSERT INTO items(id, name, qty) VALUES ($1, $2, $3)", rows))
                .expectNext(2_500L)
                .verifyComplete();
        assertThat(count()).isEqualTo(2_500);
        Flux<Object[]> clashing = Flux.range(2_500, 1_500).map(i -> new Object[] {i, i == 3_900 ? "item1" : "item" + i, 0});
        StepVerifier.create(db().batch("INSERT INTO items(id, name, qty) VALUES ($1, $2, $3)", clashing))
                .expectError(ConstraintViolationException.class)
                .verify(WAIT);
        assertThat(count()).as("all or nothing").isEqualTo(2_500);
        // Not an INSERT: the driver's own batch, same guarantees.
        StepVerifier.create(db().batch("UPDATE items SET qty = $2 WHERE id = $1",
                        Flux.range(0, 1_200).map(i -> new Object[] {i, 100}), 500))
                .expectNext(1_200L)
                .verifyComplete();
        assertThat(db().queryOne("SELECT count(*) AS n FROM items WHERE qty = $1", 100).map(r -> r.getLong("n"))
                .block(WAIT)).isEqualTo(1_200);
    }

    @Test
    void cancelledQueriesLeaveThePoolIdleAndUsable() {
        List<Disposable> queries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            queries.add(db().query(sleep(1)).subscribe(r -> { }, e -> { }));
        }
        queries.forEach(Disposable::dispose);
        assertThat(Poll.until(() -> db().poolStats().inUse() == 0, Duration.ofSeconds(15))).as("%s", db().poolStats())
                .isTrue();
        StepVerifier.create(Flux.range(0, 10).flatMap(i -> db().queryOne("SELECT $1 AS n", i)).count())
                .expectNext(10L)
                .verifyComplete();
        assertThat(Map.of("pool", db().poolStats().max())).containsEntry("pool", 4);
    }

    @Test
    void theCallersDeadlineStopsAStatementOnTheServerAndTheConnectionStaysUsable() {
        StepVerifier.create(Deadline.within(db().query(sleep(5)), Duration.ofSeconds(1), "report"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DeadlineExceededException.class)
                        .hasMessage("report exceeded its deadline of 1s"))
                .verify(WAIT);
        assertThat(Poll.until(() -> db().poolStats().inUse() == 0, Duration.ofSeconds(5))).isTrue();
        // The connection's own (absent) statement timeout is back: a statement longer than the deadline was runs.
        StepVerifier.create(db().query(sleep(2)).then(db().queryOne("SELECT 1 AS one")).map(r -> r.getInt("one")))
                .expectNext(1)
                .verifyComplete();
    }

    @Test
    void aDeadlineThatHasPassedFailsBeforeAConnectionIsTaken() {
        StepVerifier.create(db().query("SELECT 1").contextWrite(Deadlines.passed("page")))
                .verifyErrorMessage("page exceeded its deadline of 1ms");
        StepVerifier.create(db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 1, "late")
                        .contextWrite(Deadlines.passed("save")))
                .verifyError(DeadlineExceededException.class);
        StepVerifier.create(db().transaction(tx -> tx.execute("INSERT INTO items(id, name) VALUES ($1, $2)", 2, "x"))
                        .contextWrite(Deadlines.passed("save")))
                .verifyError(DeadlineExceededException.class);
        assertThat(count()).isZero();
    }

    @Test
    void theCallersDeadlineCapsTheWaitForAConnection() {
        // Transactions hold every connection that runs writes (SQLite's one writer, or the whole pool).
        List<Disposable> holders = new ArrayList<>();
        int size = db().poolStats().max();
        for (int i = 0; i < size; i++) {
            holders.add(db().inTransaction(tx -> tx.query(sleep(3))).subscribe(r -> { }, e -> { }));
        }
        try {
            assertThat(Poll.until(() -> db().poolStats().inUse() + db().poolStats().waiting() == size, Duration.ofSeconds(5)))
                    .as("%s", db().poolStats()).isTrue();
            long start = System.nanoTime();
            StepVerifier.create(Deadline.within(db().execute("DELETE FROM items"), Duration.ofMillis(300), "cleanup"))
                    .verifyErrorMessage("cleanup exceeded its deadline of 300ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 5 s acquire timeout")
                    .isLessThan(Duration.ofSeconds(3));
        } finally {
            holders.forEach(Disposable::dispose);
        }
    }
}
