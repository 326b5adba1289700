package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.LogCapture;
import dev.reactivekit.core.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** PostgreSQL LISTEN/NOTIFY as a Flux. */
class ListenNotifyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String url;
    private static Database db;

    @BeforeAll
    static void connect() {
        url = TestPostgres.schemaUrl(ListenNotifyTest.class);
        db = Database.connect(url).block(WAIT);
    }

    @AfterAll
    static void close() {
        db.close().block(WAIT);
        TestPostgres.dropSchema(url);
    }

    private static String channel() {
        return "events_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long listeners(String channel) {
        return db.queryOne("SELECT count(*) AS n FROM pg_stat_activity WHERE query = $1",
                "LISTEN " + Database.quoteIdentifier(channel)).map(r -> r.getLong("n")).block(WAIT);
    }

    private static void awaitListeners(String channel, long n) {
        assertThat(Poll.until(() -> listeners(channel) == n, Duration.ofSeconds(10)))
                .as("%s listener(s) on %s", n, channel).isTrue();
    }

    @Test
    void everyNotificationArrivesInOrder() {
        String channel = channel();
        List<SqlNotification> received = new CopyOnWriteArrayList<>();
        Disposable listening = db.listen(channel).subscribe(received::add);
        try {
            awaitListeners(channel, 1);
            Flux.range(0, 1_000).concatMap(i -> db.notify(channel, "n" + i)).blockLast(WAIT);
            assertThat(Poll.until(() -> received.size() == 1_000, WAIT)).as("received %s", received.size()).isTrue();
            for (int i = 0; i < 1_000; i++) {
                SqlNotification.Message message = (SqlNotification.Message) received.get(i);
                assertThat(message.channel()).isEqualTo(channel);
                assertThat(message.payload()).isEqualTo("n" + i);
            }
        } finally {
            listening.dispose();
        }
        awaitListeners(channel, 0);
    }

    @Test
    void aChannelNameNeedsNoEscapingByTheCaller() {
        String channel = "Mixed \"quoted\" " + channel();
        StepVerifier.create(db.listen(channel).take(1))
                .then(() -> awaitListeners(channel, 1))
                .then(() -> db.notify(channel, "hi").block(WAIT))
                .assertNext(n -> assertThat(n).isInstanceOfSatisfying(SqlNotification.Message.class,
                        m -> assertThat(m.payload()).isEqualTo("hi")))
                .verifyComplete();
    }

    @Test
    void aLostConnectionListensAgainAndSaysNotificationsMayHaveBeenMissed() {
        String channel = channel();
        List<SqlNotification> received = new CopyOnWriteArrayList<>();
        Disposable listening = db.listen(channel).subscribe(received::add);
        try (LogCapture log = LogCapture.of(Database.class)) {
            awaitListeners(channel, 1);
            db.queryOne("SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE query = $1",
                    "LISTEN " + Database.quoteIdentifier(channel)).block(WAIT);
            assertThat(Poll.until(() -> received.stream().anyMatch(n -> n instanceof SqlNotification.Gap), WAIT))
                    .as("a gap after the reconnect").isTrue();
            awaitListeners(channel, 1);
            db.notify(channel, "after").block(WAIT);
            assertThat(Poll.until(() -> received.stream().anyMatch(n -> n instanceof SqlNotification.Message m
                    && m.payload().equals("after")), WAIT)).isTrue();
            assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("WARN LISTEN " + channel).contains("lost its connection"));
        } finally {
            listening.dispose();
        }
    }
}
