package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The README's SQL examples (the seed's asyncpg and aiosqlite snippets), run against the test servers. */
class SqlExamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    record User(long id, String name) {
    }

    record NewUser(String name, String email) {
    }

    private static String url;
    private static Database db;

    @BeforeAll
    static void connect() {
        url = TestPostgres.schemaUrl(SqlExamplesTest.class);
        db = Database.connect(url, SqlOptions.builder().minConnections(5).maxConnections(20).statementTimeout(Duration.ofSeconds(60))
                .build()).block(WAIT);
        db.execute("CREATE TABLE users (id BIGSERIAL PRIMARY KEY, name TEXT, email TEXT)").block(WAIT);
        db.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT)").block(WAIT);
    }

    @BeforeEach
    void reset() {
        db.execute("TRUNCATE users, accounts RESTART IDENTITY").block(WAIT);
        db.execute("INSERT INTO accounts VALUES (1, 100), (2, 0)").block(WAIT);
    }

    @AfterAll
    static void close() {
        db.close().block(WAIT);
        TestPostgres.dropSchema(url);
    }

    @Test
    void theAsyncpgSnippets() {
        StepVerifier.create(db.execute("INSERT INTO users(name, email) VALUES($1, $2)", "Alice", "alice@example.com"))
                .expectNext(1L).verifyComplete();
        StepVerifier.create(db.insertReturning("INSERT INTO users (name, email) VALUES ($1, $2) RETURNING *", "Bob",
                        "bob@example.com").map(r -> r.getString("email")))
                .expectNext("bob@example.com").verifyComplete();
        StepVerifier.create(db.query("SELECT * FROM users WHERE id = $1", 1L).map(r -> r.getString("name")))
                .expectNext("Alice").verifyComplete();
        StepVerifier.create(db.queryOne("SELECT * FROM users LIMIT 1")).expectNextCount(1).verifyComplete();
        StepVerifier.create(db.query("SELECT name, email FROM users ORDER BY id").map(Row::toMap).collectList())
                .expectNext(List.of(Map.of("name", "Alice", "email", "alice@example.com"),
                        Map.of("name", "Bob", "email", "bob@example.com")))
                .verifyComplete();
        StepVerifier.create(db.query("SELECT id, name FROM users ORDER BY id",
                        r -> new User(r.getLong("id"), r.getString("name"))).map(User::name))
                .expectNext("Alice", "Bob").verifyComplete();
    }

    @Test
    void transactionsAndBatchInsertUsers() {
        StepVerifier.create(db.transaction(tx -> tx.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", 30, 1)
                        .then(tx.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", 30, 2))))
                .expectNext(1L).verifyComplete();
        StepVerifier.create(db.inTransaction(TransactionIsolation.REPEATABLE_READ,
                        tx -> tx.query("SELECT balance FROM accounts ORDER BY id")).map(r -> r.getInt("balance")))
                .expectNext(70, 30).verifyComplete();
        List<NewUser> newUsers = List.of(new NewUser("Bob2", "bob2@example.com"), new NewUser("Charlie", "charlie@example.com"));
        StepVerifier.create(db.batch("INSERT INTO users (name, email) VALUES ($1, $2)",
                        Flux.fromIterable(newUsers).map(u -> new Object[] {u.name(), u.email()})))
                .expectNext(2L).verifyComplete();
        assertThat(db.queryOne("SELECT count(*) AS n FROM users WHERE name IN ('Bob2', 'Charlie')")
                .map(r -> r.getLong("n")).block(WAIT)).isEqualTo(2);
        StepVerifier.create(db.copyRecords("users", List.of("name", "email"),
                        Flux.fromIterable(newUsers).map(u -> new Object[] {u.name(), u.email()})))
                .expectNext(2L).verifyComplete();
    }

    @Test
    void theAiosqliteSnippet(@TempDir Path directory) {
        Database sqlite = Database.connect("sqlite:" + directory.resolve("test.db")).block(WAIT);
        try {
            StepVerifier.create(sqlite.execute("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT)")
                            .then(sqlite.execute("INSERT INTO users(name) VALUES($1)", "张三"))
                            .thenMany(sqlite.query("SELECT * FROM users"))
                            .map(Row::toMap))
                    .expectNext(Map.of("id", 1, "name", "张三"))
                    .verifyComplete();
        } finally {
            sqlite.close().block(WAIT);
        }
    }
}
