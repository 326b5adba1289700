package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.Poll;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpRequest;
import dev.reactivekit.io.http.RequestBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The chat page ({@code GET /}) in a real browser: headless Debian Chromium driven through ChromeDriver's W3C
 * WebDriver protocol (plain HTTP and JSON, spoken with our own {@link HttpFetcher}). The page joins a room and
 * sends a message, as a person would by clicking; a Java WebSocket client in the same room, on another chat
 * server, must receive it, and its answer must appear in the page. Skipped, saying so, where {@code chromium}
 * and {@code chromedriver} are not installed ({@code apt-get install chromium chromium-driver}); {@code .ci/run}
 * installs them.
 */
class ChatBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The W3C WebDriver key of an element reference. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private static Path executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void thePageJoinsARoomSendsAMessageAndShowsTheAnswer() throws Exception {
        Path chromium = executable("chromium");
        Path driver = executable("chromedriver");
        assumeTrue(chromium != null && driver != null, "SKIPPED: chromium and chromedriver are not on the PATH, so the "
                + "browser test of the chat page does not run here (apt-get install chromium chromium-driver)");
        Cli.Running one = Cli.start("chat", "--port", "0", "--redis", TestRedisServer.url());
        Cli.Running two = Cli.start("chat", "--port", "0", "--redis", TestRedisServer.url());
        Path profile = Files.createTempDirectory("reactivekit-chromium-");
        int port = freePort();
        Process chromedriver = new ProcessBuilder(driver.toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        HttpFetcher http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        String webDriver = "http://127.0.0.1:" + port;
        String[] opened = new String[1];
        String room = "browser" + Long.toHexString(System.nanoTime() & 0xffffff);
        try (ChatClient bob = new ChatClient(one.listeningUrl().replace("http://", "ws://") + "/ws?room=" + room
                + "&name=bob")) {
            assertThat(Poll.until(() -> ready(http, webDriver), WAIT)).as("chromedriver answers /status").isTrue();
            JsonNode created = call(http, "POST", webDriver + "/session", Map.of("capabilities", Map.of("alwaysMatch",
                    Map.of("browserName", "chrome", "goog:chromeOptions", Map.of("binary", chromium.toString(),
                            "args", List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile))))));
            String session = webDriver + "/session/" + created.path("sessionId").asText();
            opened[0] = session;
            assertThat(Poll.until(() -> !bob.of("history").isEmpty(), WAIT)).as("bob joined").isTrue();

            // The page as a person opens it (on the other server), then the clicks and the typing.
            call(http, "POST", session + "/url", Map.of("url", two.listeningUrl() + "/?room=" + room + "&name=ada"));
            String status = element(http, session, "#status");
            click(http, session, element(http, session, "#join"));
            String inRoom = "in " + room + " as ada";
            assertThat(Poll.until(() -> text(http, session, status).equals(inRoom), WAIT))
                    .as("the page says it joined").isTrue();
            assertThat(Poll.until(() -> bob.of("join").stream()
                    .anyMatch(e -> e.path("name").asText().equals("ada")), WAIT))
                    .as("bob is told that ada (the browser) joined").isTrue();
            String box = element(http, session, "#text");
            call(http, "POST", session + "/element/" + box + "/value", Map.of("text", "hello from a browser"));
            click(http, session, element(http, session, "#send"));
            assertThat(Poll.until(() -> bob.of("message").stream().anyMatch(e -> e.path("name").asText().equals("ada")
                    && e.path("text").asText().equals("hello from a browser")), WAIT))
                    .as("the Java client receives the message typed into the page: " + bob.events).isTrue();

            bob.send("hi ada, from Java");
            String log = element(http, session, "#log");
            assertThat(Poll.until(() -> text(http, session, log).contains("bob: hi ada, from Java"), WAIT))
                    .as("the page shows the answer: " + text(http, session, log)).isTrue();
            assertThat(text(http, session, log)).contains("ada: hello from a browser")
                    .as("the page counts bob, on the other server").contains("ada joined (2 here)");
        } finally {
            if (opened[0] != null) {
                http.send(HttpRequest.delete(opened[0]).raw()).onErrorResume(e -> Mono.empty())
                        .block(WAIT);
            }
            http.close().block(WAIT);
            chromedriver.destroy();
            if (!chromedriver.waitFor(10, TimeUnit.SECONDS)) {
                chromedriver.destroyForcibly();
            }
            assertThat(one.stop().exit()).isZero();
            assertThat(two.stop().exit()).isZero();
            delete(profile);
            Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
        }
    }

    private static boolean ready(HttpFetcher http, String webDriver) {
        try {
            return call(http, "GET", webDriver + "/status", null).path("ready").asBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String element(HttpFetcher http, String session, String css) {
        JsonNode found = call(http, "POST", session + "/element", Map.of("using", "css selector", "value", css));
        assertThat(found.path(ELEMENT).asText()).as("the page's %s: %s", css, found).isNotEmpty();
        return found.path(ELEMENT).asText();
    }

    private static void click(HttpFetcher http, String session, String element) {
        call(http, "POST", session + "/element/" + element + "/click", Map.of());
    }

    private static String text(HttpFetcher http, String session, String element) {
        return call(http, "GET", session + "/element/" + element + "/text", null).asText();
    }

    /** One WebDriver command: its {@code value}. */
    private static JsonNode call(HttpFetcher http, String method, String url, Object body) {
        HttpRequest request = body == null ? HttpRequest.of(method, url) : HttpRequest.post(url, RequestBody.json(body));
        String reply = http.send(request.timeout(WAIT)).block(WAIT.plusSeconds(5)).text();
        try {
            return JSON.readTree(reply).path("value");
        } catch (IOException e) {
            throw new UncheckedIOException("WebDriver answered " + method + " " + url + " with " + reply, e);
        }
    }


    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
