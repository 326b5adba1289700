package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reactivekit.core.testing.Poll;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * {@code rediss://}: a {@code redis-server} with TLS on a free port, serving a self-signed certificate made for
 * the test. Needs a {@code redis-server} built with TLS on the PATH (the embedded one is not); skipped, saying
 * so, where there is none.
 */
class RedisTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Path dir;
    private static Process server;
    private static X509Bundle certificate;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(redisServerOnPath(), "no redis-server on the PATH: rediss:// tests skipped");
        certificate = new CertificateBuilder()
                .subject("CN=localhost")
                .addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1")
                .notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .ecp256()
                .setIsCertificateAuthority(true)
                .buildSelfSigned();
        dir = Files.createTempDirectory("redis-tls");
        Path cert = Files.writeString(dir.resolve("cert.pem"), certificate.getCertificatePEM());
        Path key = Files.writeString(dir.resolve("key.pem"), certificate.getPrivateKeyPEM());
        port = TestRedis.freePort();
        server = new ProcessBuilder("redis-server", "--port", "0", "--bind", "127.0.0.1", "--tls-port",
                String.valueOf(port), "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-auth-clients", "no", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        // A redis-server built without TLS refuses the TLS options and exits: skip then, saying why.
        boolean up = Poll.until(() -> listening() || !server.isAlive(), WAIT) && server.isAlive();
        assumeTrue(up, () -> "redis-server could not serve TLS, rediss:// tests skipped: " + log());
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.destroy();
            try {
                server.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void aTrustedCertificateConnectsOverTls() {
        RedisStore<String> redis = RedisStore.connect("rediss://127.0.0.1:" + port,
                RedisOptions.builder().trustedCertificates(List.of(certificate.getCertificate())).build()).block(WAIT);
        try {
            StepVerifier.create(redis.set("tls", "on").then(redis.get("tls"))).expectNext("on").verifyComplete();
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void aCertificateReadFromAPemFileWorksToo() throws IOException {
        Path pem = Files.writeString(dir.resolve("trusted.pem"), certificate.getCertificatePEM(), StandardCharsets.US_ASCII);
        RedisStore<String> redis = RedisStore.connect("rediss://127.0.0.1:" + port,
                RedisOptions.builder().trustedCertificates(pem).build()).block(WAIT);
        try {
            StepVerifier.create(redis.ping()).expectNextCount(1).verifyComplete();
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedNamingTheServer() {
        StepVerifier.create(RedisStore.connect("rediss://127.0.0.1:" + port))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisUnavailableException.class)
                        .hasMessageStartingWith("Redis CONNECT failed: cannot connect to rediss://127.0.0.1:" + port)
                        .hasMessageContaining("PKIX path building failed"))
                .verify(WAIT);
    }

    private static String log() {
        try {
            return Files.readString(dir.resolve("redis.log")).strip();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a {@code redis-server} is on the PATH. */
    private static boolean redisServerOnPath() {
        try {
            Process version = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return version.waitFor() == 0 && out.contains("Redis server v=");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
