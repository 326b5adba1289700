package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.DeadlineExceededException;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * A Database applies its policy to every statement (the retry to reads only) and turns the caller's deadline into
 * a server-side statement timeout, so that the connection survives it.
 */
class DatabasePolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static String url;
    private static Database one;

    @BeforeAll
    static void connect() {
        url = TestPostgres.schemaUrl(DatabasePolicyTest.class);
        one = Database.connect(url, SqlOptions.builder().minConnections(1).maxConnections(1).build()).block(WAIT);
    }

    @AfterAll
    static void close() {
        one.close().block(WAIT);
        TestPostgres.dropSchema(url);
    }

    private static int backend() {
        return one.queryOne("SELECT pg_backend_pid() AS pid").map(r -> r.getInt("pid")).block(WAIT);
    }

    @Test
    void aStatementStoppedAtTheDeadlineByTheServerLeavesItsConnectionInThePool() {
        int before = backend();
        StepVerifier.create(Deadline.within(one.query("SELECT pg_sleep(5)"), Duration.ofMillis(800), "report"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(DeadlineExceededException.class)
                        .hasMessage("report exceeded its deadline of 800ms"));
        assertThat(backend()).as("the same connection, not thrown away").isEqualTo(before);
        StepVerifier.create(one.queryOne("SHOW statement_timeout").map(r -> r.getString("statement_timeout")))
                .as("the connection's own statement timeout is back").expectNext("0").verifyComplete();
    }

    @Test
    void readsAreRetriedWhenTheConnectionBreaksAndWritesAreNot() {
        Database admin = Database.connect(url, SqlOptions.builder().minConnections(0).maxConnections(1).build()).block(WAIT);
        try {
            int victim = backend();
            // The read's connection is terminated under it before any row: the policy runs it again, on a new one.
            StepVerifier.create(one.queryOne("SELECT pg_sleep(1), pg_backend_pid() AS pid").map(r -> r.getInt("pid")))
                    .then(() -> terminateSoon(admin, victim))
                    .assertNext(pid -> assertThat(pid).as("answered by a new connection").isNotEqualTo(victim))
                    .verifyComplete();
            int second = backend();
            // A write is never run twice: it may have been applied before its connection broke.
            StepVerifier.create(one.execute("SELECT pg_sleep(1)"))
                    .then(() -> terminateSoon(admin, second))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(SqlUnavailableException.class));
        } finally {
            admin.close().block(WAIT);
        }
    }

    /** Terminates backend {@code pid} once its statement has started. */
    private static void terminateSoon(Database admin, int pid) {
        admin.queryOne("SELECT pg_sleep(0.3), pg_terminate_backend($1) AS done", pid).block(WAIT);
    }

    @Test
    void theWholePolicyApplies() {
        Database impatient = Database.connect(url, SqlOptions.builder().minConnections(0).maxConnections(1)
                .policy(Policy.builder().timeout(Duration.ofMillis(300)).retry(RetryPolicy.none()).build())
                .build()).block(WAIT);
        try {
            StepVerifier.create(impatient.query("SELECT pg_sleep(5)"))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.OperationTimeoutException.class)
                            .hasMessage("SQL 'SELECT pg_sleep(5)' timed out after 300ms"));
        } finally {
            impatient.close().block(WAIT);
        }
    }
}
