package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.io.tcp.Framing;
import dev.reactivekit.io.tcp.TcpClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The echo servers and their clients, each run through the command line, against each other. */
class EchoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static int port(String url) {
        return Integer.parseInt(url.replaceAll(".*:(\\d+).*", "$1"));
    }

    @Test
    void tcpEchoesEveryByteAndTheClientPrintsTheReplies() {
        Cli.Running server = Cli.start("echo-tcp", "--port", "0");
        String url = server.listeningUrl();
        assertThat(url).matches("tcp://127\\.0\\.0\\.1:\\d+");
        String port = Integer.toString(port(url));
        Cli.Result client = Cli.run("tcp-client", "--port", port, "-m", "hello", "-m", "wörld");
        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(client.out()).isEqualTo("hello\nwörld\n");

        // Exact bytes, any value, in chunks the server does not frame.
        byte[] random = new byte[200_000];
        new Random(3).nextBytes(random);
        byte[] echoed = TcpClient.builder().framing(Framing.none()).build()
                .connect("127.0.0.1", port(url), c -> c.send(Mono.just(ByteBuffer.wrap(random)))
                        .thenMany(c.receive()).map(b -> {
                            byte[] chunk = new byte[b.remaining()];
                            b.get(chunk);
                            return chunk;
                        }).scan(new byte[0], EchoTest::concat).filter(all -> all.length >= random.length).take(1))
                .blockLast(Duration.ofSeconds(20));
        assertThat(echoed).isEqualTo(random);

        Cli.Result load = Cli.run("tcp-client", "--port", port, "--connections", "20", "--duration", "1s", "--json");
        assertThat(load.exit()).as(load.err()).isZero();
        JsonNode figures = json(load.out());
        assertThat(figures.get("round_trips").asLong()).isPositive();
        assertThat(figures.get("errors").asLong()).isZero();
        assertThat(figures.get("p50_ms").asDouble()).isLessThanOrEqualTo(figures.get("p99_ms").asDouble());

        Cli.Result stopped = server.stop();
        assertThat(stopped.exit()).isZero();
        assertThat(stopped.err()).contains("stopped");
    }

    @Test
    void tcpOverTlsWithTheGeneratedCertificate() {
        Cli.Running server = Cli.start("echo-tcp", "--port", "0", "--tls", "--max-connections", "4");
        String url = server.listeningUrl();
        assertThat(url).startsWith("tls://");
        String port = Integer.toString(port(url));
        Cli.Result trusting = Cli.run("tcp-client", "--port", port, "--tls", "--insecure", "-m", "secret");
        assertThat(trusting.out()).isEqualTo("secret\n");
        Cli.Result checking = Cli.run("tcp-client", "--port", port, "--tls", "-m", "secret");
        assertThat(checking.exit()).isEqualTo(1);
        assertThat(checking.err()).startsWith("error: ").contains("TLS").doesNotContain("\tat ");
        assertThat(server.stop().exit()).isZero();
    }

    @Test
    void udpEchoesEachDatagramAndALostOneIsAnError() {
        Cli.Running server = Cli.start("echo-udp", "--port", "0");
        String port = Integer.toString(port(server.listeningUrl()));
        Cli.Result client = Cli.run("udp-client", "--port", port, "-m", "one", "-m", "two", "--json");
        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(client.out()).isEqualTo("{\"reply\":\"one\"}\n{\"reply\":\"two\"}\n");
        Cli.Result load = Cli.run("udp-client", "--port", port, "--connections", "4", "--duration", "500ms");
        assertThat(load.exit()).as(load.out()).isZero();
        assertThat(load.out()).contains("4 connections, 64-byte messages").contains(", 0 errors");
        assertThat(server.stop().exit()).isZero();
        Cli.Result nobody = Cli.run("udp-client", "--port", port, "-m", "anyone?", "--timeout", "300ms");
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err().strip()).isEqualTo("error: no reply to message 1 within 300ms (after 0 replies)");
    }

    @Test
    void webSocketEchoAtSlashWsWithAConnectionLimit() {
        Cli.Running server = Cli.start("echo-ws", "--port", "0", "--max-connections", "2");
        String url = server.listeningUrl();
        assertThat(url).matches("ws://127\\.0\\.0\\.1:\\d+/ws");
        Cli.Result client = Cli.run("ws-client", url, "-m", "hi", "-m", "there");
        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(client.out()).isEqualTo("hi\nthere\n");
        // One session under the limit of two (the last client's session may still be closing on the server).
        Cli.Result load = Cli.run("ws-client", url, "--connections", "1", "--duration", "500ms", "--json");
        assertThat(json(load.out()).get("errors").asLong()).isZero();
        // Over the limit: a session beyond the second is told to come back later.
        Cli.Result over = Cli.run("ws-client", url, "--connections", "3", "--duration", "500ms", "--json");
        assertThat(over.exit()).isEqualTo(1);
        JsonNode figures = json(over.out().lines().findFirst().orElseThrow());
        assertThat(figures.get("errors").asLong()).isBetween(1L, 3L);
        assertThat(figures.get("round_trips").asLong()).isPositive();
        Cli.Result overText = Cli.run("ws-client", url, "--connections", "3", "--duration", "200ms");
        assertThat(overText.out()).contains("the server closed the session: 1013 too many connections, try again later");
        assertThat(server.stop().exit()).isZero();
    }

    @Test
    void badTargetsAreUsageErrorsAndDeadServersFailures() {
        assertThat(Cli.run("tcp-client", "--port", "70000", "-m", "x").exit()).isEqualTo(2);
        assertThat(Cli.run("tcp-client", "-m", "x").err()).contains("Missing required option: '--port=<port>'");
        Cli.Result malformed = Cli.run("ws-client", "http://127.0.0.1/ws", "-m", "x");
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).isEqualTo("error: malformed URL 'http://127.0.0.1/ws': use ws:// or wss://, then host[:port]/path\n");
        Cli.Result refused = Cli.run("tcp-client", "--port", "1", "-m", "x");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: TCP connect 127.0.0.1:1: connection refused");
    }

    @Test
    void stdinLinesAreSentWhenNoMessageIsGiven() {
        Cli.Running server = Cli.start("echo-tcp", "--port", "0");
        String port = Integer.toString(port(server.listeningUrl()));
        Cli.Result client = Cli.runWithInput("first\nsecond\nthird\n", "tcp-client", "--port", port);
        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(client.out()).isEqualTo("first\nsecond\nthird\n");
        assertThat(server.stop().exit()).isZero();
    }

    private static JsonNode json(String out) {
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + out, e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
