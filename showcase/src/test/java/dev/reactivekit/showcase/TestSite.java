package dev.reactivekit.showcase;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small web site on a Reactor Netty server of its own, for what httpbin's link graph cannot show: links to
 * other hosts, nofollow, base href, robots.txt that is garbage or failing, huge pages; it records when each path
 * was requested.
 */
final class TestSite implements AutoCloseable {

    final Map<String, List<Long>> hits = new ConcurrentHashMap<>();
    private DisposableServer server;

    /** {@code robots}: "garbage", "404", "500", or the robots.txt body. */
    TestSite(String robots) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .get("/robots.txt", (req, res) -> {
                            hit("/robots.txt");
                            return switch (robots) {
                                case "404" -> res.status(404).send();
                                case "500" -> res.status(500).send();
                                case "garbage" -> res.sendString(Mono.just("\u0000\u00ff<html>Disallow everything?? }}{{\n"));
                                default -> res.sendString(Mono.just(robots));
                            };
                        })
                        .get("/sub/{page}", (req, res) -> {
                            hit("/sub/" + req.param("page"));
                            return res.header("Content-Type", "text/html").sendString(Mono.just(page("leaf")));
                        })
                        .get("/{page}", (req, res) -> {
                            String page = req.param("page");
                            hit("/" + page);
                            return switch (page) {
                                case "huge" -> res.header("Content-Type", "text/html")
                                        .sendByteArray(Flux.range(0, 50 * 16).map(i -> new byte[64 * 1024]));
                                case "many" -> res.header("Content-Type", "text/html").sendString(Flux.range(0, 100_000)
                                        .map(i -> "<a href='/m" + i + "'>" + i + "</a>\n"));
                                default -> res.header("Content-Type", "text/html; charset=utf-8")
                                        .sendString(Mono.just(page(page).replace("OTHER_HOST", "localhost:" + port())));
                            };
                        }))
                .bindNow(Duration.ofSeconds(10));
    }

    private void hit(String path) {
        hits.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
    }

    private static String page(String name) {
        return switch (name) {
            case "start" -> "<html><head><title>Start</title></head><body>"
                    + "<a href='/a'>a</a> <a href='b'>b</a> <a href='/c#part'>c</a> <a href='/nofollowed' rel='nofollow'>x</a>"
                    + "<a href='http://OTHER_HOST/away'>away</a> <a href='/private'>private</a>"
                    + "<a href='mailto:x@example.com'>mail</a> <a href='/a'>a again</a></body></html>";
            case "a" -> "<html><head><base href='/sub/'><title>A</title></head><body><a href='deep'>deep</a></body></html>";
            case "b" -> "<html><head><meta name='robots' content='noindex,nofollow'><title>B</title></head>"
                    + "<body><a href='/hidden'>hidden</a></body></html>";
            default -> "<html><head><title>" + name + "</title></head><body>leaf</body></html>";
        };
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** The same site by another name: {@code localhost} (from /etc/hosts), another host to a crawler. */
    String otherHostUrl(String path) {
        return "http://localhost:" + server.port() + path;
    }

    private int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
