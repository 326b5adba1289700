package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.testing.Poll;
import dev.reactivekit.core.testing.TcpProxy;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpRequest;
import dev.reactivekit.io.ws.CloseStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code chat}: two chat servers sharing one real Redis, real WebSocket clients. */
class ChatTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Running one;
    private static Cli.Running two;

    @BeforeAll
    static void start() {
        one = Cli.start("chat", "--port", "0", "--redis", TestRedisServer.url(), "--history", "50");
        two = Cli.start("chat", "--port", "0", "--redis", TestRedisServer.url(), "--history", "50");
    }

    @AfterAll
    static void stop() {
        assertThat(one.stop().exit()).isZero();
        assertThat(two.stop().exit()).isZero();
    }

    private static String ws(Cli.Running server, String room, String name) {
        return server.listeningUrl().replace("http://", "ws://") + "/ws?room=" + room + "&name=" + name;
    }

    private static String room() {
        return "r" + UUID.randomUUID().toString().substring(0, 8);
    }


    @Test
    void messagesCrossTwoServersInOrderAndAJoinerGetsTheHistory() {
        String room = room();
        try (ChatClient bob = new ChatClient(ws(two, room, "bob"))) {
            assertThat(Poll.until(() -> !bob.of("join").isEmpty(), WAIT)).isTrue();
            try (ChatClient ada = new ChatClient(ws(one, room, "ada"))) {
                assertThat(Poll.until(() -> bob.of("join").size() == 2, WAIT)).as("bob sees ada join").isTrue();
                assertThat(bob.of("join").get(1).path("name").asText()).isEqualTo("ada");
                assertThat(bob.of("join").get(1).path("members").asLong()).isEqualTo(2);
                for (int i = 1; i <= 60; i++) {
                    ada.send("message " + i);
                }
                assertThat(Poll.until(() -> bob.of("message").size() == 60, WAIT)).isTrue();
                assertThat(bob.of("message")).extracting(e -> e.path("text").asText())
                        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 60)
                                .mapToObj(i -> "message " + i).toList());
                assertThat(bob.of("message")).allSatisfy(e -> assertThat(e.path("name").asText()).isEqualTo("ada"));
            }
            assertThat(Poll.until(() -> !bob.of("leave").isEmpty(), WAIT)).as("bob sees ada leave").isTrue();
            assertThat(bob.of("leave").get(0).path("members").asLong()).isEqualTo(1);
        }
        try (ChatClient late = new ChatClient(ws(one, room, "carol"))) {
            assertThat(Poll.until(() -> !late.of("history").isEmpty(), WAIT)).isTrue();
            JsonNode history = late.of("history").get(0).path("messages");
            assertThat(history).hasSize(50);
            assertThat(history.get(0).path("text").asText()).isEqualTo("message 11");
            assertThat(history.get(49).path("text").asText()).isEqualTo("message 60");
        }
    }

    @Test
    void aClientThatDoesNotReadIsDroppedWithoutSlowingTheRoom() throws Exception {
        String room = room();
        URI uri = URI.create(ws(two, room, "slow"));
        try (ChatClient fast = new ChatClient(ws(two, room, "fast"));
                Socket slow = new Socket(uri.getHost(), uri.getPort())) {
            // A WebSocket handshake by hand, and then never a byte read.
            OutputStream out = slow.getOutputStream();
            out.write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
                    + uri.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = slow.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
            assertThat(Poll.until(() -> fast.of("join").size() >= 2, WAIT)).as("both joined").isTrue();
            String big = "x".repeat(1_900);
            // Far more than the socket buffers and the server's 256-message buffer for the slow client hold.
            // In rounds of 100, each read by the fast client before the next: it is never far behind, while what
            // waits for the slow one only grows.
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 100; i++) {
                    fast.send(big + (round * 100 + i));
                }
                int expected = (round + 1) * 100;
                assertThat(Poll.until(() -> fast.of("message").size() == expected, WAIT))
                        .as("the fast client got round %d", round)
                        .isTrue();
            }
            assertThat(Poll.until(() -> fast.of("leave").stream()
                    .anyMatch(e -> e.path("name").asText().equals("slow")), WAIT))
                    .as("the slow client was dropped").isTrue();
        }
    }

    @Test
    void aLostRedisSubscriptionIsANoticeToTheClients() throws Exception {
        try (TcpProxy proxy = new TcpProxy(URI.create(TestRedisServer.url()).getPort())) {
            Cli.Running server = Cli.start("chat", "--port", "0", "--redis", proxy.url(), "-v");
            try (ChatClient client = new ChatClient(ws(server, room(), "ada"))) {
                assertThat(Poll.until(() -> !client.of("join").isEmpty(), WAIT)).isTrue();
                assertThat(proxy.dropAll()).isPositive();
                if (!Poll.until(() -> !client.of("notice").isEmpty(), WAIT)) {
                    Cli.Result r = server.stop();
                    throw new AssertionError("no notice; events " + client.events + "; server stderr: " + r.err());
                }
                assertThat(client.of("notice").get(0).path("text").asText()).contains("messages may have been missed");
            } finally {
                assertThat(server.stop().exit()).isZero();
            }
        }
    }

    @Test
    void badNamesAndRoomsAreRefusedAndLongMessagesAreNotSent() {
        try (ChatClient badRoom = new ChatClient(ws(one, "no%20spaces", "ada"));
                ChatClient badName = new ChatClient(ws(one, room(), "%3Cscript%3E"))) {
            CloseStatus room = badRoom.closed.asMono().block(WAIT);
            assertThat(room.code()).isEqualTo(1008);
            assertThat(room.reason()).contains("room must be");
            assertThat(badName.closed.asMono().block(WAIT).reason()).contains("name must be");
        }
        // ws-client, as a person would use it, says why the server closed the session.
        Cli.Result refused = Cli.run("ws-client", ws(one, "no%20spaces", "ada"), "-m", "hi");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("the server closed the session: 1008 room must be");
        try (ChatClient ada = new ChatClient(ws(one, room(), "ada"))) {
            assertThat(Poll.until(() -> !ada.of("join").isEmpty(), WAIT)).isTrue();
            ada.send("y".repeat(2_001));
            ada.send("short");
            assertThat(Poll.until(() -> !ada.of("message").isEmpty(), WAIT)).isTrue();
            assertThat(ada.of("error")).hasSize(1);
            assertThat(ada.of("error").get(0).path("text").asText()).contains("longer than 2000");
            assertThat(ada.of("message")).extracting(e -> e.path("text").asText()).containsExactly("short");
        }
    }

    @Test
    void withoutRedisItRunsAnEmbeddedOneAndAnUnreachableRedisIsOneLine() {
        Cli.Running alone = Cli.start("chat", "--port", "0");
        String room = room();
        try (ChatClient ada = new ChatClient(ws(alone, room, "ada"))) {
            ada.send("hi");
            assertThat(Poll.until(() -> !ada.of("message").isEmpty(), WAIT)).isTrue();
        }
        Cli.Result stopped = alone.stop();
        assertThat(stopped.exit()).isZero();
        assertThat(stopped.err()).contains("starting an embedded Redis");
        Cli.Result unreachable = Cli.run("chat", "--port", "0", "--redis", "redis://127.0.0.1:1");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err().lines().filter(l -> l.startsWith("error: ")).toList()).hasSize(1);
        assertThat(unreachable.err()).contains("127.0.0.1:1").doesNotContain("\tat ");
        Cli.Result scheme = Cli.run("chat", "--port", "0", "--redis", "nosuch://x");
        assertThat(scheme.exit()).isEqualTo(2);
        assertThat(scheme.err()).contains("--redis must be a redis://, rediss:// or redis-cluster:// URL, not 'nosuch://x'");
    }

    @Test
    void thePageIsSelfContainedAndRoomsAreCounted() throws Exception {
        HttpFetcher http = HttpFetcher.builder().build();
        String room = room();
        try (ChatClient ada = new ChatClient(ws(one, room, "ada")); ChatClient bob = new ChatClient(ws(two, room, "bob"))) {
            String page = http.send(HttpRequest.get(one.listeningUrl() + "/")).block(WAIT).text();
            assertThat(page).contains("<script>").contains("new WebSocket(").doesNotContain("src=").doesNotContain("http://")
                    .doesNotContain("https://");
            assertThat(Poll.until(() -> ada.of("join").size() == 2 || bob.of("join").size() == 2, WAIT)).isTrue();
            JsonNode rooms = JSON.readTree(http.send(HttpRequest.get(one.listeningUrl() + "/rooms")).block(WAIT).text());
            assertThat(rooms.path(room).asLong()).as("members across both servers").isEqualTo(2);
        } finally {
            http.close().block(WAIT);
        }
    }
}
