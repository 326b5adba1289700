package dev.reactivekit.showcase;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.io.http.Headers;
import dev.reactivekit.io.http.HttpService;
import dev.reactivekit.io.http.ResponseStatusException;
import dev.reactivekit.io.http.ServerReply;
import dev.reactivekit.io.http.ServerRequest;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A local stand-in for httpbin.org on {@link HttpService}, so every demo and test runs offline. Every route
 * counts its hits ({@code GET /counter}), and the {@code Range} headers it was sent, so a test can prove
 * that a page was fetched exactly once or that a resumed download asked only for what was missing; with
 * {@code --verbose} every request is logged, its {@code Range} header included.
 */
public final class HttpBinService {

    /** The largest body {@code /bytes}, {@code /range} and {@code /drip} serve: 256 MiB. */
    public static final long MAX_BODY = 256L * 1024 * 1024;
    /** The longest {@code /delay} and {@code /drip} wait: 60 s. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);
    /** The most pages {@code /links/{n}} has, and lines {@code /stream/{n}} sends. */
    public static final int MAX_PAGES = 10_000;

    private static final int CHUNK = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpBinService.class);

    private final Map<String, AtomicLong> hits = new ConcurrentHashMap<>();
    private final Map<String, List<String>> ranges = new ConcurrentHashMap<>();
    private final List<String> disallow;

    /** {@code disallow}: the paths robots.txt forbids to every user agent. */
    public HttpBinService(List<String> disallow) {
        this.disallow = List.copyOf(disallow);
    }

    /** The routes on a builder listening on {@code host:port}. */
    public HttpService.Builder service(String host, int port) {
        HttpService.Builder b = HttpService.builder().host(host).port(port);
        Function<ServerRequest, Mono<ServerReply>> echo = req -> echo(req, true);
        for (String path : List.of("/anything", "/anything/**")) {
            b.get(path, counted(echo)).post(path, counted(echo)).put(path, counted(echo))
                    .delete(path, counted(echo));
        }
        return b
                .get("/", counted(req -> Mono.just(html(index()))))
                .get("/get", counted(req -> echo(req, false)))
                .post("/post", counted(echo))
                .put("/put", counted(echo))
                .delete("/delete", counted(echo))
                .get("/headers", counted(req -> Mono.just(ServerReply.json(Map.of("headers", headers(req))))))
                .get("/ip", counted(req -> Mono.just(ServerReply.json(Map.of("origin", origin(req))))))
                .get("/user-agent", counted(req -> Mono.just(ServerReply.json(
                        Map.of("user-agent", req.header("User-Agent").orElse(""))))))
                .get("/uuid", counted(req -> Mono.just(ServerReply.json(Map.of("uuid", uuid())))))
                .get("/json", counted(req -> Mono.just(ServerReply.json(slideshow()))))
                .get("/html", counted(req -> Mono.just(html(mobyDick()))))
                .get("/delay/{n}", counted(this::delay))
                .get("/status/{codes}", counted(this::status))
                .get("/flaky/{n}/{key}", counted(this::flaky))
                .post("/status/{codes}", counted(this::status))
                .get("/bytes/{n}", counted(this::bytes))
                .get("/stream/{n}", counted(this::stream))
                .get("/drip", counted(this::drip))
                .get("/range/{n}", counted(this::range))
                .get("/redirect/{n}", counted(this::redirect))
                .get("/links/{n}/{i}", counted(this::links))
                .get("/links/{n}", counted(req -> Mono.just(ServerReply.empty(302)
                        .header("Location", "/links/" + req.pathParam("n") + "/0"))))
                .get("/robots.txt", counted(req -> Mono.just(ServerReply.text(robots()))))
                .get("/deny", counted(req -> Mono.just(ServerReply.text("YOU SHOULDN'T BE HERE\n"))))
                .get("/response-headers", counted(this::responseHeaders))
                .get("/users", counted(this::users))
                .get("/counter", req -> Mono.just(ServerReply.json(counter())));
    }

    /** Hits per path since start, and the Range headers each path was sent. */
    public Map<String, Object> counter() {
        Map<String, Long> byPath = new TreeMap<>();
        hits.forEach((path, n) -> byPath.put(path, n.get()));
        return Map.of("hits", byPath, "ranges", new TreeMap<>(ranges));
    }

    private Function<ServerRequest, Mono<ServerReply>> counted(Function<ServerRequest, Mono<ServerReply>> handler) {
        return req -> {
            hits.computeIfAbsent(req.path(), p -> new AtomicLong()).incrementAndGet();
            log.debug("{} {}{}", req.method(), req.uri(), req.header("Range").map(r -> " Range: " + r).orElse(""));
            req.header("Range").ifPresent(r -> ranges.computeIfAbsent(req.path(), p -> new CopyOnWriteArrayList<>()).add(r));
            return Mono.defer(() -> handler.apply(req));
        };
    }

    // --------------------------------------------------------------------------------------------- echo

    private Mono<ServerReply> echo(ServerRequest req, boolean withBody) {
        Mono<String> body = withBody ? req.bodyText().defaultIfEmpty("") : Mono.just("");
        return body.map(text -> {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("method", req.method());
            reply.put("args", args(req));
            reply.put("headers", headers(req));
            reply.put("origin", origin(req));
            reply.put("url", url(req));
            if (withBody) {
                reply.put("data", text);
                reply.put("json", parseJson(text, req));
            }
            return ServerReply.json(reply);
        });
    }

    private static Object parseJson(String text, ServerRequest req) {
        boolean json = req.header("Content-Type").map(t -> t.toLowerCase().contains("json")).orElse(false);
        if (!json || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(text, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ResponseStatusException(400, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, Object> args(ServerRequest req) {
        Map<String, Object> args = new TreeMap<>();
        String uri = req.uri();
        int q = uri.indexOf('?');
        if (q < 0) {
            return args;
        }
        Map<String, List<String>> all = new TreeMap<>();
        for (String pair : uri.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            all.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        all.forEach((name, values) -> args.put(name, values.size() == 1 ? values.get(0) : values));
        return args;
    }

    private static Map<String, String> headers(ServerRequest req) {
        Map<String, String> out = new TreeMap<>();
        Headers headers = req.headers();
        for (String name : headers.names()) {
            out.put(capitalize(name), String.join(",", headers.all(name)));
        }
        return out;
    }

    private static String capitalize(String name) {
        StringBuilder b = new StringBuilder(name.length());
        boolean up = true;
        for (char c : name.toCharArray()) {
            b.append(up ? Character.toUpperCase(c) : Character.toLowerCase(c));
            up = c == '-';
        }
        return b.toString();
    }

    private static String origin(ServerRequest req) {
        return req.remoteAddress() == null ? "" : req.remoteAddress().getAddress().getHostAddress();
    }

    private static String url(ServerRequest req) {
        return "http://" + req.header("Host").orElse("localhost") + req.uri();
    }

    // ------------------------------------------------------------------------------------------ timing

    private Mono<ServerReply> delay(ServerRequest req) {
        Duration delay = req.queryParam("ms").isPresent()
                ? Duration.ofMillis(number(req.queryParam("ms").get(), "ms", 0, MAX_DELAY.toMillis()))
                : Duration.ofMillis(Math.round(decimal(req.pathParam("n"), "n", 0, MAX_DELAY.toSeconds()) * 1000));
        return Mono.delay(delay).then(echo(req, false));
    }

    private Mono<ServerReply> drip(ServerRequest req) {
        long total = number(req.queryParam("numbytes").orElse("10"), "numbytes", 0, MAX_BODY);
        double seconds = decimal(req.queryParam("duration").orElse("2"), "duration", 0, MAX_DELAY.toSeconds());
        double initialDelay = decimal(req.queryParam("delay").orElse("0"), "delay", 0, MAX_DELAY.toSeconds());
        int code = (int) number(req.queryParam("code").orElse("200"), "code", 200, 599);
        int pieces = (int) Math.max(1, Math.min(total, 100));
        Duration step = Duration.ofNanos((long) (seconds * 1e9 / pieces));
        Flux<ByteBuffer> body = Flux.range(0, pieces)
                .concatMap(i -> Mono.delay(step).map(x -> {
                    long from = total * i / pieces;
                    long to = total * (i + 1) / pieces;
                    byte[] chunk = new byte[(int) (to - from)];
                    java.util.Arrays.fill(chunk, (byte) '*');
                    return ByteBuffer.wrap(chunk);
                }), 1);
        return Mono.delay(Duration.ofNanos((long) (initialDelay * 1e9)))
                .thenReturn(ServerReply.stream(body, "application/octet-stream").status(code)
                        .header("Content-Length", Long.toString(total)));
    }

    // ----------------------------------------------------------------------------------------- statuses

    private Mono<ServerReply> status(ServerRequest req) {
        List<int[]> choices = new ArrayList<>();
        int weights = 0;
        for (String part : req.pathParam("codes").split(",")) {
            String[] codeWeight = part.trim().split(":");
            int code = (int) number(codeWeight[0], "status code", 100, 599);
            int weight = codeWeight.length > 1 ? (int) number(codeWeight[1], "weight", 0, 1_000_000) : 1;
            choices.add(new int[] {code, weight});
            weights += weight;
        }
        int pick = weights == 0 ? 0 : ThreadLocalRandom.current().nextInt(weights);
        int code = choices.get(0)[0];
        for (int[] choice : choices) {
            if (pick < choice[1]) {
                code = choice[0];
                break;
            }
            pick -= choice[1];
        }
        ServerReply reply = ServerReply.empty(code);
        if (code >= 300 && code < 400) {
            reply = reply.header("Location", "/redirect/1");
        }
        return Mono.just(reply);
    }

    /**
     * {@code /flaky/{n}/{key}}: 503 to the first {@code n} requests of this path, then 200 with the attempt's
     * number, for retries that end well. Each {@code key} counts on its own.
     */
    private Mono<ServerReply> flaky(ServerRequest req) {
        long n = number(req.pathParam("n"), "n", 0, 100);
        long hit = hits.get(req.path()).get();
        return Mono.just(hit <= n ? ServerReply.empty(503)
                : ServerReply.json(Map.of("attempt", hit, "failed_before", n)));
    }

    /** {@code /response-headers?Name=value...}: a reply carrying the headers asked for (and them as JSON). */
    private Mono<ServerReply> responseHeaders(ServerRequest req) {
        Map<String, Object> asked = args(req);
        ServerReply reply = ServerReply.json(asked);
        for (Map.Entry<String, Object> header : asked.entrySet()) {
            Object value = header.getValue();
            reply = reply.header(header.getKey(), value instanceof List<?> list ? String.valueOf(list.get(0)) : String.valueOf(value));
        }
        return Mono.just(reply);
    }

    private Mono<ServerReply> redirect(ServerRequest req) {
        long n = number(req.pathParam("n"), "n", 1, 100);
        return Mono.just(ServerReply.empty(302).header("Location", n == 1 ? "/get" : "/redirect/" + (n - 1)));
    }

    // -------------------------------------------------------------------------------------------- bodies

    /** {@code n} bytes from a generator seeded with {@code seed} (random when absent): the same seed, the same bytes. */
    public static byte[] seededBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Mono<ServerReply> bytes(ServerRequest req) {
        long n = number(req.pathParam("n"), "n", 0, MAX_BODY);
        long seed = req.queryParam("seed").map(s -> number(s, "seed", Long.MIN_VALUE, Long.MAX_VALUE))
                .orElseGet(() -> ThreadLocalRandom.current().nextLong());
        Random random = new Random(seed);
        Flux<ByteBuffer> body = Flux.generate(() -> 0L, (sent, sink) -> {
            int size = (int) Math.min(CHUNK, n - sent);
            if (size == 0) {
                sink.complete();
                return sent;
            }
            byte[] chunk = new byte[size];
            random.nextBytes(chunk);
            sink.next(ByteBuffer.wrap(chunk));
            return sent + size;
        });
        return Mono.just(ServerReply.stream(body, "application/octet-stream")
                .header("Content-Length", Long.toString(n)));
    }

    private Mono<ServerReply> stream(ServerRequest req) {
        int n = (int) number(req.pathParam("n"), "n", 0, MAX_PAGES);
        String url = url(req);
        Flux<ByteBuffer> lines = Flux.range(0, n).map(i -> {
            try {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", i);
                line.put("url", url);
                return ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return Mono.just(ServerReply.stream(lines, "application/x-ndjson"));
    }

    /** The byte at {@code offset} of every {@code /range} body: the alphabet, repeated. */
    public static byte rangeByte(long offset) {
        return (byte) ('a' + offset % 26);
    }

    /**
     * {@code n} bytes of the alphabet, with {@code Range} support (206, {@code Content-Range}, 416 when
     * unsatisfiable); {@code ?chunk_size=&duration=} spreads the body over {@code duration} seconds, as httpbin does.
     */
    private Mono<ServerReply> range(ServerRequest req) {
        long n = number(req.pathParam("n"), "n", 0, MAX_BODY);
        int chunkSize = (int) number(req.queryParam("chunk_size").orElse(Integer.toString(CHUNK)), "chunk_size", 1, CHUNK);
        double seconds = decimal(req.queryParam("duration").orElse("0"), "duration", 0, MAX_DELAY.toSeconds());
        String etag = "\"range-" + n + "\"";
        long from = 0;
        long to = n - 1;
        int status = 200;
        String range = req.header("Range").orElse(null);
        if (range != null && n > 0) {
            long[] bounds = parseRange(range, n);
            if (bounds == null) {
                return Mono.just(ServerReply.empty(416).header("Content-Range", "bytes */" + n));
            }
            from = bounds[0];
            to = bounds[1];
            status = 206;
        }
        long length = to - from + 1;
        long first = from;
        long chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        Duration step = Duration.ofNanos((long) (seconds * 1e9 / chunks));
        Flux<ByteBuffer> body = Flux.<ByteBuffer, Long>generate(() -> first, (offset, sink) -> {
            int size = (int) Math.min(chunkSize, first + length - offset);
            if (size <= 0) {
                sink.complete();
                return offset;
            }
            byte[] chunk = new byte[size];
            for (int i = 0; i < size; i++) {
                chunk[i] = rangeByte(offset + i);
            }
            sink.next(ByteBuffer.wrap(chunk));
            return offset + size;
        });
        if (!step.isZero()) {
            body = body.delayElements(step);
        }
        ServerReply reply = ServerReply.stream(body, "application/octet-stream").status(status)
                .header("Accept-Ranges", "bytes").header("ETag", etag)
                .header("Content-Length", Long.toString(length));
        if (status == 206) {
            reply = reply.header("Content-Range", "bytes " + from + "-" + to + "/" + n);
        }
        return Mono.just(reply);
    }

    /** {@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-s} within {@code n}; null when unsatisfiable or malformed. */
    static long[] parseRange(String header, long n) {
        String spec = header.trim();
        if (!spec.startsWith("bytes=") || spec.contains(",")) {
            return null;
        }
        String[] parts = spec.substring(6).trim().split("-", -1);
        try {
            if (parts.length != 2) {
                return null;
            }
            if (parts[0].isEmpty()) {
                long suffix = Long.parseLong(parts[1]);
                return suffix <= 0 ? null : new long[] {Math.max(0, n - suffix), n - 1};
            }
            long from = Long.parseLong(parts[0]);
            long to = parts[1].isEmpty() ? n - 1 : Math.min(Long.parseLong(parts[1]), n - 1);
            return from >= n || from > to ? null : new long[] {from, to};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // --------------------------------------------------------------------------------------------- pages

    private Mono<ServerReply> links(ServerRequest req) {
        int n = (int) number(req.pathParam("n"), "n", 1, MAX_PAGES);
        int i = (int) number(req.pathParam("i"), "i", 0, n - 1);
        StringBuilder page = new StringBuilder("<html><head><title>Links ").append(i).append("</title></head><body>");
        // At most 200 links a page, as httpbin: page i links to the next 200 pages (wrapping), so every page of
        // a big site is reachable from page 0 and no page is enormous.
        int shown = Math.min(n - 1, 200);
        for (int k = 1; k <= shown; k++) {
            int j = (i + k) % n;
            page.append("<a href='/links/").append(n).append('/').append(j).append("'>").append(j).append("</a> ");
        }
        return Mono.just(html(page.append("</body></html>").toString()));
    }

    private String robots() {
        StringBuilder b = new StringBuilder("User-agent: *\n");
        for (String path : disallow) {
            b.append("Disallow: ").append(path).append('\n');
        }
        return b.toString();
    }

    /** A version 4 UUID from ThreadLocalRandom: UUID.randomUUID() reads SecureRandom, which may block the event loop. */
    private static String uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    // ------------------------------------------------------------------------------------------ users

    /** The most users {@code /users} serves ({@code total}), and per page ({@code size}). */
    public static final int MAX_USERS = 1_000_000;
    public static final int MAX_PAGE_SIZE = 1_000;
    private static final String[] FIRST = {"Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Frances", "Grace",
            "Hedy", "John", "Katherine", "Linus", "Margaret", "Niklaus", "Radia", "Tim"};
    private static final String[] LAST = {"Lovelace", "Turing", "Liskov", "Shannon", "Knuth", "Dijkstra", "Allen",
            "Hopper", "Lamarr", "Backus", "Johnson", "Torvalds", "Hamilton", "Wirth", "Perlman", "Berners-Lee"};
    private static final String[] CITIES = {"Berlin", "Lisbon", "Nairobi", "Osaka", "Quito", "Tallinn", "Toronto",
            "Wellington"};

    /**
     * {@code /users?page=P&size=S[&total=T][&version=V][&invalid=K]}: page P (from 1) of T deterministic fake
     * users (default 10,000), S per page (default 100); {@code version} changes every user's name, email, age
     * and city (a rerun of an ingest then updates), {@code invalid=K} makes every K-th user malformed (no email,
     * a negative age, a blank name, in turn). The same query always gives the same bytes.
     */
    private Mono<ServerReply> users(ServerRequest req) {
        long page = number(req.queryParam("page").orElse("1"), "page", 1, MAX_USERS);
        long size = number(req.queryParam("size").orElse("100"), "size", 1, MAX_PAGE_SIZE);
        long total = number(req.queryParam("total").orElse("10000"), "total", 0, MAX_USERS);
        long version = number(req.queryParam("version").orElse("1"), "version", 1, 1_000_000);
        long invalid = number(req.queryParam("invalid").orElse("0"), "invalid", 0, MAX_USERS);
        List<Map<String, Object>> users = new ArrayList<>();
        for (long id = (page - 1) * size + 1; id <= Math.min(total, page * size); id++) {
            users.add(user(id, version, invalid > 0 && id % invalid == 0));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", page);
        body.put("size", size);
        body.put("total", total);
        body.put("pages", (total + size - 1) / size);
        body.put("users", users);
        return Mono.just(ServerReply.json(body));
    }

    /** User {@code id} at {@code version}; {@code malformed} breaks one field, chosen by the id. */
    public static Map<String, Object> user(long id, long version, boolean malformed) {
        long h = (id * 0x9E3779B97F4A7C15L) ^ (version * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 31;
        String first = FIRST[(int) Math.floorMod(h, FIRST.length)];
        String last = LAST[(int) Math.floorMod(h >>> 8, LAST.length)];
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", id);
        user.put("name", first + " " + last);
        user.put("email", (first + "." + last + "." + id).toLowerCase(java.util.Locale.ROOT) + "@example.com");
        user.put("age", 18 + Math.floorMod(h >>> 16, 70));
        user.put("city", CITIES[(int) Math.floorMod(h >>> 24, CITIES.length)]);
        user.put("created_at", java.time.Instant.ofEpochSecond(1_700_000_000L + id * 3_600).toString());
        if (malformed) {
            switch ((int) (id % 3)) {
                case 0 -> user.remove("email");
                case 1 -> user.put("age", -1);
                default -> user.put("name", " ");
            }
        }
        return user;
    }

    private static ServerReply html(String page) {
        return ServerReply.bytes(page.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    private static String index() {
        return "<!DOCTYPE html><html><head><title>reactivekit httpbin</title></head><body><h1>reactivekit httpbin</h1>"
                + "<p>A local stand-in for httpbin.org. Endpoints: /get /post /put /delete /anything /headers /ip "
                + "/user-agent /uuid /json /html /delay/{n} /status/{codes} /flaky/{n}/{key} /bytes/{n} /stream/{n} /drip "
                + "/range/{n} /redirect/{n} /links/{n}/{i} /response-headers /users /robots.txt /counter</p></body></html>";
    }

    private static Map<String, Object> slideshow() {
        Map<String, Object> slide1 = new LinkedHashMap<>();
        slide1.put("title", "Wake up to WonderWidgets!");
        slide1.put("type", "all");
        Map<String, Object> slide2 = new LinkedHashMap<>();
        slide2.put("items", List.of("Why <em>WonderWidgets</em> are great", "Who <em>buys</em> WonderWidgets"));
        slide2.put("title", "Overview");
        slide2.put("type", "all");
        Map<String, Object> show = new LinkedHashMap<>();
        show.put("author", "Yours Truly");
        show.put("date", "date of publication");
        show.put("slides", List.of(slide1, slide2));
        show.put("title", "Sample Slide Show");
        return Map.of("slideshow", show);
    }

    private static String mobyDick() {
        return "<!DOCTYPE html><html><head><title>Moby-Dick</title></head><body><h1>Herman Melville - Moby-Dick</h1>"
                + "<div><p>Call me Ishmael. Some years ago - never mind how long precisely - having little or no money "
                + "in my purse, and nothing particular to interest me on shore, I thought I would sail about a little "
                + "and see the watery part of the world.</p></div></body></html>";
    }

    // ------------------------------------------------------------------------------------------- numbers

    private static long number(String text, String name, long min, long max) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < min || v > max) {
                throw new ResponseStatusException(400, name + " must be between " + min + " and " + max + ", not " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ResponseStatusException(400, name + " must be a whole number, not '" + text + "'");
        }
    }

    private static double decimal(String text, String name, double min, double max) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!(v >= min && v <= max)) {
                throw new ResponseStatusException(400, name + " must be between " + min + " and " + max + ", not " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ResponseStatusException(400, name + " must be a number, not '" + text + "'");
        }
    }
}
