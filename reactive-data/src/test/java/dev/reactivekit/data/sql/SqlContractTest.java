package dev.reactivekit.data.sql;

import dev.reactivekit.data.testing.Poll;
import static org.assertj.core.api.Assertions.assertThat;

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
                .expectError(IllegalStateException.class)
                .verify(WAIT);
        StepVerifier.create(db().execute("UPDATE items SET qty = qty + $1 WHERE qty > $2", 10, 0)).expectNext(2L)
                .verifyComplete();
    }

    @Test
    void parametersMayRepeatAndComeInAnyOrder() {
        db().execute("INSERT INTO items(id, name, qty) VALUES ($2, $1, $2)", "seven", 7).block(WAIT);
        StepVerifier.create(db().queryOne("SELECT id, name, qty FROM items WHERE name = $1 AND id = $2 AND qty = $2",
                        "seven", 7).map(r -> r.getLong("qty")))
                .expectNext(7L)
                .verifyComplete();
        StepVerifier.create(db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("takes 2 parameter(s)"))
                .verify(WAIT);
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
        db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 1, "dup").block(WAIT);
        StepVerifier.create(db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 2, "dup"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(ConstraintViolationException.class,
                        c -> assertThat(c.constraint()).isEqualTo("items_name_key")))
                .verify(WAIT);
        StepVerifier.create(db().execute("INSERT INTO items(id, name) VALUES ($1, $2)", 3, SqlNull.of(String.class)))
                .expectError(ConstraintViolationException.class)
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
        assertThat(Poll.until(() -> db().stats().acquired() == 1, Duration.ofSeconds(5))).isTrue();
        cancelled.dispose();
        assertThat(Poll.until(() -> db().stats().acquired() == 0, Duration.ofSeconds(10))).isTrue();
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
        assertThat(Poll.until(() -> db().stats().acquired() == 0, Duration.ofSeconds(15))).as("%s", db().stats())
                .isTrue();
        StepVerifier.create(Flux.range(0, 10).flatMap(i -> db().queryOne("SELECT $1 AS n", i)).count())
                .expectNext(10L)
                .verifyComplete();
        assertThat(Map.of("pool", db().stats().maxSize())).containsEntry("pool", 4);
    }
}
