package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Queries, statements and rows on PostgreSQL. */
class DatabaseQueryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String url;
    private static Database db;

    record User(long id, String name, String email) {
    }

    @BeforeAll
    static void connect() {
        url = TestPostgres.schemaUrl(DatabaseQueryTest.class);
        db = Database.connect(url, SqlOptions.builder().minConnections(2).maxConnections(5).build()).block(WAIT);
        db.execute("CREATE TABLE users (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, age INT)")
                .block(WAIT);
    }

    @AfterAll
    static void close() {
        db.close().block(WAIT);
        TestPostgres.dropSchema(url);
    }

    @Test
    void insertFetchAndFetchrowTheAsyncpgWay() {
        StepVerifier.create(db.execute("INSERT INTO users(name, email) VALUES($1, $2)", "Alice", "alice@example.com"))
                .expectNext(1L)
                .verifyComplete();
        StepVerifier.create(db.insertReturning("INSERT INTO users(name, email, age) VALUES($1, $2, $3) RETURNING *",
                        "Bob", "bob@example.com", 41))
                .assertNext(row -> {
                    assertThat(row.getString("name")).isEqualTo("Bob");
                    assertThat(row.getInt("age")).isEqualTo(41);
                    assertThat(row.getLong("id")).isPositive();
                    assertThat(row.columns()).containsExactly("id", "name", "email", "age");
                })
                .verifyComplete();
        StepVerifier.create(db.query("SELECT name, email FROM users WHERE name = $1", "Alice").map(Row::toMap))
                .expectNext(Map.of("name", "Alice", "email", "alice@example.com"))
                .verifyComplete();
        StepVerifier.create(db.queryOne("SELECT name FROM users WHERE name = $1", "nobody")).verifyComplete();
        StepVerifier.create(db.query("SELECT id, name, email FROM users WHERE email = $1",
                        row -> new User(row.getLong("id"), row.getString("name"), row.getString("email")),
                        "bob@example.com"))
                .assertNext(user -> assertThat(user.name()).isEqualTo("Bob"))
                .verifyComplete();
    }

    @Test
    void querySingleRefusesMoreThanOneRow() {
        StepVerifier.create(db.querySingle("SELECT * FROM generate_series(1, 3)"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SqlException.class)
                        .hasMessageContaining("returned more than one row"))
                .verify(WAIT);
        StepVerifier.create(db.querySingle("SELECT 42 AS answer"))
                .assertNext(row -> assertThat(row.getInt("answer")).isEqualTo(42))
                .verifyComplete();
    }

    @Test
    void aSqlInjectionAttemptPassedAsAParameterIsStoredVerbatim() {
        String evil = "x'); DROP TABLE users; --";
        StepVerifier.create(db.execute("INSERT INTO users(name) VALUES($1)", evil)).expectNext(1L).verifyComplete();
        StepVerifier.create(db.queryOne("SELECT name FROM users WHERE name = $1", evil).map(r -> r.getString("name")))
                .expectNext(evil)
                .verifyComplete();
        StepVerifier.create(db.queryOne("SELECT count(*) AS n FROM users").map(r -> r.getLong("n")))
                .assertNext(n -> assertThat(n).isPositive())
                .verifyComplete();
    }

    @Test
    void typedNullsAndDollarQuotedBodiesAreHandled() {
        StepVerifier.create(db.execute("INSERT INTO users(name, email, age) VALUES($1, $2, $3)", "Nul",
                        SqlNull.of(String.class), SqlNull.of(Integer.class)))
                .expectNext(1L)
                .verifyComplete();
        StepVerifier.create(db.queryOne("SELECT age FROM users WHERE name = $1", "Nul").map(r -> r.get("age") == null))
                .expectNext(true)
                .verifyComplete();
        StepVerifier.create(db.queryOne("SELECT $tag$ costs $5 $tag$ AS text, $1::int AS n", 7)
                        .map(r -> r.getString("text") + r.getInt("n")))
                .expectNext(" costs $5 7")
                .verifyComplete();
    }

    @Test
    void aWrongParameterCountOrValueFailsNamingTheParameter() {
        // A count that does not fit and a bare null are refused at call time: the pipeline is never built.
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> db.execute("INSERT INTO users(name, email) VALUES($1, $2)", "only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 2 parameter(s)")
                .hasMessageContaining("1 value(s) were given");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> db.execute("INSERT INTO users(name, age) VALUES($1, $2)", "x", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("parameter $2 of SQL")
                .hasMessageContaining("SqlNull.of");
        // A value the driver cannot bind fails the statement, typed, naming the parameter.
        StepVerifier.create(db.execute("INSERT INTO users(name, age) VALUES($1, $2)", "x", new Object()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SqlException.class,
                                s -> assertThat(s.sqlState()).isEqualTo("22023"))
                        .hasMessageStartingWith("parameter $2 of SQL"))
                .verify(WAIT);
    }

    @Test
    void constraintViolationsNameTheConstraint() {
        db.execute("INSERT INTO users(name, email) VALUES($1, $2)", "Carol", "carol@example.com").block(WAIT);
        StepVerifier.create(db.execute("INSERT INTO users(name, email) VALUES($1, $2)", "Carol2", "carol@example.com"))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(ConstraintViolationException.class)
                            .hasMessageContaining("users_email_key")
                            .hasMessageNotContaining("carol@example.com'");
                    assertThat(((ConstraintViolationException) e).constraint()).isEqualTo("users_email_key");
                    assertThat(((ConstraintViolationException) e).sqlState()).isEqualTo("23505");
                })
                .verify(WAIT);
        StepVerifier.create(db.execute("INSERT INTO users(email) VALUES($1)", "noname@example.com"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConstraintViolationException.class)
                        .extracting(x -> ((ConstraintViolationException) x).sqlState()).isEqualTo("23502"))
                .verify(WAIT);
    }

    @Test
    void serverErrorsAreTypedWithTheirSqlState() {
        StepVerifier.create(db.query("SELECT * FROM no_such_table"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SqlException.class)
                        .hasMessageStartingWith("SQL 'SELECT * FROM no_such_table' failed: ")
                        .extracting(x -> ((SqlException) x).sqlState()).isEqualTo("42P01"))
                .verify(WAIT);
        assertThatThrownBy(() -> new Row(java.util.List.of("a"), new Object[] {"x"}).get("b"))
                .hasMessageContaining("no column 'b'");
    }

    @Test
    void healthAndStats() {
        StepVerifier.create(db.health()).assertNext(d -> assertThat(d).isPositive()).verifyComplete();
        assertThat(db.poolStats().max()).isEqualTo(5);
        assertThat(db.poolStats().inUse()).isZero();
    }
}
