package dev.reactivekit.showcase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.data.redis.QueueStats;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.data.sql.Database;
import dev.reactivekit.data.sql.Row;
import dev.reactivekit.data.sql.SqlOptions;
import dev.reactivekit.io.http.FetchResult;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.io.process.OutputLine;
import dev.reactivekit.io.process.ProcessSpec;
import dev.reactivekit.io.process.Processes;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Console;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.Errors;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.function.Tuple2;

/**
 * {@code demo}: the main job. Starts an embedded PostgreSQL and an embedded Redis (or uses the given ones) and a
 * local httpbin, then runs every application of the showcase against them, in this process, each as its own
 * command line would run it, and checks what each did: fetch, download, crawl, pipeline, ingest, chat, jobs.
 * Prints one row per part (what it did, ok or FAILED with the reason, its time) and exits 0 only when every part
 * passed. Everything it started is stopped and every file it wrote deleted, also on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: every application of the showcase, run against an embedded PostgreSQL, an "
                + "embedded Redis and a local httpbin, with a one-screen report (exit 0 only when every part passed).",
                "Nothing is left behind: servers stopped, temp files deleted (also on Ctrl-C)."})
final class Demo extends AppCommand {

    /** Longest time one part may take before it is stopped and reported FAILED. */
    static final Duration PART_LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");
    private static final int USERS = 3000;
    private static final int INVALID_EVERY = 100;
    private static final int SITE_PAGES = 300;
    private static final int JOBS = 200;

    @Option(names = "--pg", paramLabel = "URL",
            description = "Use this PostgreSQL (postgresql://user@host:port/db) instead of an embedded one; the demo's table is dropped at the end.")
    String pgUrl;

    @Option(names = "--redis", paramLabel = "URL",
            description = "Use this Redis (redis://host:port) instead of an embedded one; the demo's keys are deleted at the end.")
    String redisUrl;

    @Option(names = "--keep",
            description = "Keep the temp directory (downloads, crawled pages, logs) and, on given servers, the demo's table and keys; print where they are.")
    boolean keep;

    /** What a part checked: its one-line account, or a failure with the reason. */
    private static final class Failed extends RuntimeException {
        Failed(String reason) {
            super(reason);
        }
    }

    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped by Ctrl-C");
        }
    }

    private interface Body {
        String run() throws Exception;
    }

    private record Part(String name, String about, Body body) {
    }

    private record Result(String part, String verdict, String details, Duration time) {
        boolean ok() {
            return verdict.equals("ok");
        }
    }

    private final Set<Console> children = ConcurrentHashMap.newKeySet();
    private final Deque<Runnable> cleanup = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final String id = "demo-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private Path dir;
    private String pg;
    private String redis;
    private String bin;
    private HttpBinService binService;
    /** Both servers answered: from then on the demo may have written to them. */
    private volatile boolean serversUp;

    @Override
    protected int run() throws IOException {
        if (pgUrl != null && !pgUrl.matches("postgres(ql)?://.+")) {
            throw new UsageException("--pg must be a postgresql:// URL, not '" + pgUrl + "'");
        }
        if (redisUrl != null && !redisUrl.matches("rediss?://.+")) {
            throw new UsageException("--redis must be a redis:// or rediss:// URL, not '" + redisUrl + "'");
        }
        dir = Files.createTempDirectory("reactivekit-demo-");
        long started = System.nanoTime();
        Disposable forward = console.interrupted().subscribe(null, null, () -> children.forEach(Console::interrupt));
        List<Part> parts = List.of(
                new Part("servers", (pgUrl == null ? "embedded PostgreSQL" : "PostgreSQL") + ", "
                        + (redisUrl == null ? "embedded Redis" : "Redis") + ", httpbin", this::servers),
                new Part("fetch", "5 URLs: retries, a 404, a timeout", this::fetch),
                new Part("download", "3 files, one interrupted and resumed", this::download),
                new Part("crawl", "two crawlers sharing one crawl over Redis", this::crawl),
                new Part("pipeline", "producers and consumers over a bounded queue", this::pipeline),
                new Part("ingest", "an API into PostgreSQL, then a rerun", this::ingest),
                new Part("chat", "two chat servers on one Redis, two clients", this::chat),
                new Part("jobs", "a job queue, two workers, one killed", this::jobs));
        List<Result> results = new ArrayList<>();
        if (!json) {
            console.out().printf("ReactiveKit demo: the showcase's applications against %s and %s, in this process%n%n",
                    pgUrl == null ? "an embedded PostgreSQL" : pgUrl, redisUrl == null ? "an embedded Redis" : redisUrl);
        }
        try {
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                if (console.isInterrupted()) {
                    results.add(new Result(part.name(), "not run", "stopped by Ctrl-C before it began", Duration.ZERO));
                } else if (i > 0 && !results.get(0).ok()) {
                    results.add(new Result(part.name(), "not run", "the servers did not start", Duration.ZERO));
                } else {
                    if (!noProgress) {
                        console.note("[%d/%d] %s: %s...", i + 1, parts.size(), part.name(), part.about());
                    }
                    results.add(execute(part));
                }
                if (json) {
                    Result r = results.get(results.size() - 1);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("part", r.part());
                    m.put("verdict", r.verdict());
                    m.put("details", r.details());
                    m.put("time_s", r.time().toMillis() / 1000.0);
                    console.json(m);
                }
            }
        } finally {
            forward.dispose();
            cleanUp();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        long ok = results.stream().filter(Result::ok).count();
        List<String> done = new ArrayList<>();
        if (pgUrl == null || redisUrl == null) {
            done.add("embedded servers stopped");
        }
        if ((pgUrl != null || redisUrl != null) && serversUp && !keep) {
            done.add("its data on the given servers deleted");
        }
        done.add(keep ? "kept " + dir + (pgUrl != null || redisUrl != null ? " and its data named " + id : "")
                : "temp files deleted");
        String left = String.join(", ", done);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("summary", true);
            m.put("parts", results.size());
            m.put("ok", ok);
            m.put("wall_s", wall.toMillis() / 1000.0);
            m.put("interrupted", console.isInterrupted());
            console.json(m);
        } else {
            Table table = new Table(72, "part", "result", "time", "what it did");
            for (Result r : results) {
                table.row(r.part(), r.verdict(), r.time().isZero() ? "" : Durations.format(r.time()), r.details());
            }
            table.print(console.out());
            console.out().printf(Locale.ROOT, "%n%d of %d parts ok in %s%s; %s%n", ok, results.size(),
                    Durations.format(wall), console.isInterrupted() ? " (stopped by Ctrl-C)" : "", left);
        }
        return console.isInterrupted() ? ExitCodes.INTERRUPTED
                : ok == results.size() ? ExitCodes.OK : ExitCodes.FAILURES;
    }

    private Result execute(Part part) {
        long start = System.nanoTime();
        String verdict;
        String details;
        try {
            details = part.body().run();
            verdict = "ok";
        } catch (Stopped e) {
            verdict = "stopped";
            details = "stopped by Ctrl-C";
        } catch (Exception | Error e) {
            // What fails after Ctrl-C fails because of it: the commands inside were stopped.
            verdict = console.isInterrupted() ? "stopped" : "FAILED";
            details = console.isInterrupted() ? "stopped by Ctrl-C" : e instanceof Failed ? e.getMessage() : Errors.describe(e);
            if (verbose) {
                e.printStackTrace(console.err());
            }
        }
        return new Result(part.name(), verdict, details, Duration.ofNanos(System.nanoTime() - start));
    }

    // ---------------------------------------------------------------------------------------------- parts

    private String servers() {
        Mono<String> postgres = pgUrl != null ? Mono.just(pgUrl) : Mono.fromCallable(() -> {
            EmbeddedServers.Postgres server = EmbeddedServers.Postgres.start();
            cleanup.push(server::close);
            return server.url();
        }).subscribeOn(Schedulers.boundedElastic());
        Mono<String> redisServer = redisUrl != null ? Mono.just(redisUrl) : Mono.fromCallable(() -> {
            EmbeddedServers.Redis server = EmbeddedServers.Redis.start();
            cleanup.push(server::close);
            return server.url();
        }).subscribeOn(Schedulers.boundedElastic());
        Tuple2<String, String> urls = Mono.zip(postgres, redisServer).block(PART_LIMIT);
        pg = urls.getT1();
        redis = urls.getT2();
        // Reachable, and what they are: a bad --pg or --redis fails here, in one line, before any part runs.
        String version = Mono.usingWhen(Database.connect(pg, SqlOptions.builder().maxConnections(1).build()),
                db -> db.queryOne("SHOW server_version").map(r -> r.getString("server_version")),
                Database::close).block(Duration.ofSeconds(30));
        Mono.usingWhen(RedisStore.connect(redis), RedisStore::ping, RedisStore::close).block(Duration.ofSeconds(30));
        serversUp = true;
        binService = new HttpBinService(List.of("/deny"));
        RunningService running = binService.service("127.0.0.1", 0).build().start().block(Duration.ofSeconds(30));
        cleanup.push(() -> running.close(Duration.ofSeconds(2)).block(Duration.ofSeconds(10)));
        bin = running.url("");
        // One request first: httpbin answers, and the classes of the HTTP path are loaded before fetch is timed.
        HttpFetcher fetcher = HttpFetcher.create();
        try {
            FetchResult hello = fetcher.get(bin + "/get").block(Duration.ofSeconds(30));
            check(hello != null && hello.status() == 200, "httpbin did not answer GET /get with 200");
        } finally {
            fetcher.close().block(Duration.ofSeconds(10));
        }
        return String.format(Locale.ROOT, "PostgreSQL %s on %s, Redis on %s, httpbin on %s", version.split(" ")[0],
                hostPort(pg), hostPort(redis), hostPort(bin));
    }

    private String fetch() {
        String flaky = "/flaky/2/" + id;
        List<String> paths = List.of("/get", "/bytes/4096", flaky, "/status/404", "/delay/5");
        List<String> args = new ArrayList<>(List.of("fetch", "--json", "--no-progress", "--timeout", "500ms",
                "--retries", "2"));
        paths.forEach(p -> args.add(bin + p));
        Child fetch = new Child("fetch", args);
        int exit = fetch.await();
        check(exit == ExitCodes.FAILURES, "fetch exited " + exit + " (1 expected: a 404 and a timeout)" + fetch.why());
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (JsonNode row : fetch.json()) {
            if (row.has("url")) {
                rows.put(row.get("url").asText().substring(bin.length()), row);
            }
        }
        check(rows.keySet().equals(Set.copyOf(paths)), "fetch reported " + rows.keySet() + ", not " + paths);
        for (String p : List.of("/get", "/bytes/4096")) {
            check(rows.get(p).path("status").asInt() == 200 && rows.get(p).path("attempts").asInt() == 1,
                    p + " should be 200 at the first attempt: " + rows.get(p));
        }
        check(rows.get("/bytes/4096").path("bytes").asLong() == 4096, "/bytes/4096 gave " + rows.get("/bytes/4096"));
        JsonNode retried = rows.get(flaky);
        check(retried.path("status").asInt() == 200 && retried.path("attempts").asInt() == 3,
                "the flaky URL (503 twice) should succeed at attempt 3: " + retried);
        JsonNode missing = rows.get("/status/404");
        check(missing.path("status").asInt() == 404 && missing.path("attempts").asInt() == 1,
                "a 404 must not be retried: " + missing);
        JsonNode slow = rows.get("/delay/5");
        check(slow.path("attempts").asInt() == 3 && slow.path("error").asText().contains("timed out"),
                "/delay/5 should time out at each of 3 attempts: " + slow);
        return "3 ok (one after two 503s, at attempt 3), a 404 not retried, /delay/5 timed out at all 3 attempts";
    }

    private String download() throws IOException {
        Path into = Files.createDirectories(dir.resolve("downloads"));
        int size = 1 << 20;
        String range = "/range/" + size + "?chunk_size=16384&duration=2";
        String seeded = "/bytes/262144?seed=7";
        Child first = new Child("download", "download", "--json", "--no-progress", "--resume", "--dir", into.toString(),
                bin + "/json", bin + seeded, bin + range);
        // Interrupted as Ctrl-C would, once part of the slow file has arrived.
        long partial = waitFor(() -> Files.exists(into.resolve("json")) && Files.exists(into.resolve("262144"))
                && partBytes(into) > 100_000 || first.exit.isDone(), "a partial download") ? partBytes(into) : 0;
        first.console.interrupt();
        int exit = first.await();
        check(exit == ExitCodes.INTERRUPTED, "the interrupted download exited " + exit + first.why());
        check(partial > 0 && !Files.exists(into.resolve(String.valueOf(size))),
                "the slow file should have been interrupted half-way (partial " + partial + " bytes)");
        Child second = new Child("download --resume", "download", "--json", "--no-progress", "--resume", "--dir",
                into.toString(), bin + range);
        exit = second.await();
        check(exit == ExitCodes.OK, "the resumed download exited " + exit + second.why());
        byte[] whole = Files.readAllBytes(into.resolve(String.valueOf(size)));
        check(whole.length == size, "the resumed file has " + whole.length + " bytes, not " + size);
        for (int i = 0; i < size; i++) {
            check(whole[i] == HttpBinService.rangeByte(i), "the resumed file differs from the server's at byte " + i);
        }
        check(java.util.Arrays.equals(Files.readAllBytes(into.resolve("262144")), HttpBinService.seededBytes(262144, 7)),
                "/bytes/262144 was not saved as the server sent it");
        JSON.readTree(into.resolve("json").toFile());
        @SuppressWarnings("unchecked")
        Map<String, List<String>> ranges = (Map<String, List<String>>) binService.counter().get("ranges");
        List<String> asked = ranges.getOrDefault("/range/" + size, List.of());
        check(asked.size() == 1 && asked.get(0).matches("bytes=[1-9]\\d*-"),
                "the resumed download should have asked for the rest with one Range header, it sent " + asked);
        try (Stream<Path> files = Files.list(into)) {
            check(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "a .part file was left behind");
        }
        return "json, 256 KiB and 1 MiB; the 1 MiB one stopped at " + Table.bytes(partial) + ", resumed with "
                + asked.get(0) + ", checked byte for byte";
    }

    private long partBytes(Path into) {
        try (Stream<Path> files = Files.list(into)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private String crawl() throws IOException {
        String seed = bin + "/links/" + SITE_PAGES + "/0";
        Path a = dir.resolve("crawl-a.jsonl");
        Path b = dir.resolve("crawl-b.jsonl");
        Child one = new Child("crawl a", "crawl", seed, "--depth", "20", "--redis", redis, "--crawl-id", id,
                "--out", a.toString(), "--no-progress");
        Child two = new Child("crawl b", "crawl", seed, "--depth", "20", "--redis", redis, "--crawl-id", id,
                "--out", b.toString(), "--no-progress");
        int exitOne = one.await();
        int exitTwo = two.await();
        check(exitOne == 0 && exitTwo == 0, "the crawlers exited " + exitOne + " and " + exitTwo + one.why() + two.why());
        List<JsonNode> pagesA = jsonLines(a);
        List<JsonNode> pagesB = jsonLines(b);
        Set<String> urls = new HashSet<>();
        int total = 0;
        for (JsonNode page : concat(pagesA, pagesB)) {
            total++;
            urls.add(page.path("url").asText());
            check(page.path("status").asInt() == 200, "a page failed: " + page);
        }
        check(urls.size() == SITE_PAGES, "the crawl found " + urls.size() + " pages of " + SITE_PAGES);
        check(total == SITE_PAGES, (total - urls.size()) + " pages were fetched twice");
        return String.format(Locale.ROOT, "%d pages of /links/%d, %d by crawler a and %d by b, each page once",
                SITE_PAGES, SITE_PAGES, pagesA.size(), pagesB.size());
    }

    private String pipeline() {
        Child run = new Child("pipeline", "pipeline", "--json", "--producers", "3", "--consumers", "2", "--items", "200",
                "--queue-size", "10", "--consumer-delay", "1ms");
        int exit = run.await();
        check(exit == ExitCodes.OK, "pipeline exited " + exit + run.why());
        JsonNode summary = last(run.json());
        check(summary.path("ok").asBoolean() && summary.path("in").asLong() == 600 && summary.path("out").asLong() == 600
                && summary.path("duplicates").asLong() == 0 && summary.path("max_depth").asLong() <= 10,
                "pipeline's summary: " + summary);
        return String.format(Locale.ROOT, "600 items, 3 producers to 2 consumers, queue never above %d of 10, each once",
                summary.path("max_depth").asLong());
    }

    private String ingest() {
        String table = "demo_users_" + id.substring(5);
        if (pgUrl != null && !keep) {
            cleanup.push(() -> Mono.usingWhen(Database.connect(pg), db -> db.execute("DROP TABLE IF EXISTS " + table),
                    Database::close).block(Duration.ofSeconds(30)));
        }
        String pages = String.valueOf(USERS / 100);
        String api = bin + "/users?page={page}&size=100&total=" + USERS + "&invalid=" + INVALID_EVERY;
        Child first = new Child("ingest", "ingest", api, "--pages", pages, "--db", pg, "--table", table, "--json",
                "--batch-size", "500");
        int exit = first.await();
        check(exit == ExitCodes.OK, "ingest exited " + exit + first.why());
        JsonNode one = last(first.json());
        int invalid = USERS / INVALID_EVERY;
        check(one.path("fetched").asLong() == USERS && one.path("written").asLong() == USERS - invalid
                        && one.path("rejected").asLong() == invalid, "ingest's summary: " + one);
        checkRows(table, 1, USERS - invalid);
        Child rerun = new Child("ingest rerun", "ingest", api + "&version=2", "--pages", pages, "--db", pg, "--table",
                table, "--json", "--batch-size", "500");
        exit = rerun.await();
        check(exit == ExitCodes.OK, "the rerun of ingest exited " + exit + rerun.why());
        JsonNode two = last(rerun.json());
        check(two.path("written").asLong() == USERS - invalid, "the rerun's summary: " + two);
        checkRows(table, 2, USERS - invalid);
        return String.format(Locale.ROOT, "%d records: %d written, %d rejected; the rerun updated all %d, no duplicates"
                + " (%.0f and %.0f rows/s)", USERS, USERS - invalid, invalid, USERS - invalid,
                one.path("rows_per_s").asDouble(), two.path("rows_per_s").asDouble());
    }

    /** Every row of {@code table} is the user httpbin serves at {@code version}, and there are {@code count}. */
    private void checkRows(String table, long version, long count) {
        List<Row> rows = Mono.usingWhen(Database.connect(pg, SqlOptions.builder().maxConnections(1).build()),
                db -> db.query("SELECT id, name, email FROM " + table + " ORDER BY id").collectList(),
                Database::close).block(Duration.ofSeconds(30));
        check(rows.size() == count, table + " holds " + rows.size() + " rows, not " + count);
        for (Row row : rows) {
            long userId = row.getLong("id");
            Map<String, Object> expected = HttpBinService.user(userId, version, false);
            check(expected.get("name").equals(row.getString("name")) && expected.get("email").equals(row.getString("email")),
                    "row " + userId + " is not user " + userId + " at version " + version + ": " + row.getString("name"));
        }
    }

    private String chat() {
        Child one = new Child("chat 1", "chat", "--port", "0", "--redis", redis);
        Child two = new Child("chat 2", "chat", "--port", "0", "--redis", redis);
        try {
            String urlOne = one.listening();
            String urlTwo = two.listening();
            String room = id;
            String result;
            try (ChatClient ada = new ChatClient(ws(urlOne, room, "ada"))) {
                // ada is in the room (her own join came back through Redis) before bob comes, so that she must
                // hear of his join from the other server; from then on nothing either sends can be missed.
                check(waitFor(() -> joined(ada, "ada"), "ada's join"),
                        "ada did not get into the room on server 1" + one.why() + ada.closedReason());
                try (ChatClient bob = new ChatClient(ws(urlTwo, room, "bob"))) {
                    check(waitFor(() -> joined(bob, "bob") && joined(ada, "bob"), "bob's join"),
                            "ada (server 1) was not told that bob joined on server 2" + two.why() + bob.closedReason());
                    check(bob.of("history").size() == 1, "bob did not get the room's history on joining");
                    long sent = System.nanoTime();
                    ada.send("hello bob, from server 1");
                    check(waitFor(() -> said(bob, "ada", "hello bob, from server 1"), "ada's message"),
                            "bob (server 2) did not receive ada's message (server 1)");
                    long there = System.nanoTime() - sent;
                    bob.send("hi ada");
                    check(waitFor(() -> said(ada, "bob", "hi ada"), "bob's answer"),
                            "ada (server 1) did not receive bob's answer (server 2)");
                    long members = ada.of("join").stream().mapToLong(e -> e.path("members").asLong()).max().orElse(0);
                    check(members == 2, "the room should count 2 members across the servers, it said " + members);
                    ada.close();
                    check(waitFor(() -> bob.of("leave").stream().anyMatch(e -> e.path("name").asText().equals("ada")),
                            "ada's leave"), "bob was not told that ada left");
                    result = String.format(Locale.ROOT, "ada on %s and bob on %s, one room: a message across in %d"
                            + " ms, the answer back, 2 members counted, ada's leave announced", hostPort(urlOne),
                            hostPort(urlTwo), TimeUnit.NANOSECONDS.toMillis(there));
                }
            }
            one.console.interrupt();
            two.console.interrupt();
            int exitOne = one.await();
            int exitTwo = two.await();
            check(exitOne == 0 && exitTwo == 0, "the chat servers exited " + exitOne + " and " + exitTwo);
            return result;
        } finally {
            one.console.interrupt();
            two.console.interrupt();
        }
    }

    private static boolean joined(ChatClient client, String name) {
        return client.of("join").stream().anyMatch(e -> e.path("name").asText().equals(name));
    }

    private static boolean said(ChatClient client, String name, String text) {
        return client.of("message").stream()
                .anyMatch(e -> e.path("name").asText().equals(name) && e.path("text").asText().equals(text));
    }

    private static String ws(String http, String room, String name) {
        return http.replace("http://", "ws://") + "/ws?room=" + room + "&name=" + name;
    }

    private String jobs() {
        String queue = id;
        Child enqueue = new Child("jobs enqueue", "jobs", "enqueue", "--redis", redis, "--queue", queue, "--count",
                String.valueOf(JOBS), "--json");
        int exit = enqueue.await();
        check(exit == ExitCodes.OK, "jobs enqueue exited " + exit + enqueue.why());
        RedisStore<String> store = RedisStore.connect(redis).block(Duration.ofSeconds(30));
        String results = "rk:jobs:{" + queue + "}:results";
        String runs = "rk:jobs:{" + queue + "}:runs";
        // The victim is a JVM of its own, so that it can be killed as a crash would kill it: SIGKILL, no goodbye.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessSpec victim = ProcessSpec.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "jobs", "work", "--redis", redis,
                "--queue", queue, "--name", "victim", "--concurrency", "4", "--job-time", "50ms", "--visibility", "1s",
                "--no-progress").mergeStderr();
        List<String> victimLog = new java.util.concurrent.CopyOnWriteArrayList<>();
        Processes processes = Processes.builder().maxConcurrency(1).build();
        Disposable running = processes.lines(victim).map(OutputLine::text).subscribe(victimLog::add,
                e -> victimLog.add("(ended: " + Errors.describe(e) + ")"));
        Child survivor = null;
        try {
            check(waitFor(() -> byWorker(store, results, "victim") >= 10 || running.isDisposed(), "the victim's work"),
                    "the worker to kill did not get going: " + String.join(" | ", victimLog));
            check(!running.isDisposed(), "the worker to kill ended by itself: " + String.join(" | ", victimLog));
            survivor = new Child("jobs work", "jobs", "work", "--redis", redis, "--queue", queue, "--name",
                    "survivor", "--concurrency", "4", "--job-time", "50ms", "--visibility", "1s", "--until-done",
                    "--json");
            check(waitFor(() -> byWorker(store, results, "survivor") >= 5, "the second worker's work"),
                    "the second worker did no job" + survivor.why());
            QueueStats before = store.queue(queue).stats().block(Duration.ofSeconds(10));
            long heldByVictim = before.inProgress().entrySet().stream().filter(e -> e.getKey().startsWith("victim"))
                    .mapToLong(Map.Entry::getValue).sum();
            long doneByVictim = byWorker(store, results, "victim");
            running.dispose();
            processes.close(Duration.ZERO).block(Duration.ofSeconds(30));
            exit = survivor.await();
            check(exit == ExitCodes.OK, "the surviving worker exited " + exit + survivor.why());
            Map<String, String> resultMap = store.hgetall(results).block(Duration.ofSeconds(10));
            Map<String, String> runMap = store.hgetall(runs).block(Duration.ofSeconds(10));
            QueueStats after = store.queue(queue).stats().block(Duration.ofSeconds(10));
            check(resultMap.size() == JOBS, resultMap.size() + " jobs of " + JOBS + " have a result");
            check(after.unfinished() == 0 && after.dead() == 0, "the queue still has jobs: " + after);
            long twice = runMap.values().stream().filter(n -> !n.equals("1")).count();
            check(runMap.size() == JOBS && runMap.values().stream().allMatch(n -> n.equals("1") || n.equals("2")),
                    "a job ran more than twice, or never: " + runMap.size() + " ran");
            check(twice <= 4, twice + " jobs ran twice; only the 4 the killed worker held may");
            return String.format(Locale.ROOT, "%d jobs; 'victim' killed (SIGKILL) after %d, holding %d: those ran "
                    + "again elsewhere, one result per job", JOBS, doneByVictim, heldByVictim);
        } finally {
            running.dispose();
            processes.close(Duration.ZERO).block(Duration.ofSeconds(30));
            if (survivor != null) {
                survivor.console.interrupt();
                survivor.await();
            }
            store.close().block(Duration.ofSeconds(10));
        }
    }

    private static long byWorker(RedisStore<String> store, String results, String worker) {
        Map<String, String> all = store.hgetall(results).block(Duration.ofSeconds(10));
        return all == null ? 0 : all.values().stream().filter(v -> v.contains("\"worker\":\"" + worker + "\"")).count();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Stops what the demo started, last first; on servers it was given, deletes the demo's data. */
    private void cleanUp() {
        if (redisUrl != null && serversUp && !keep) {
            cleanup.addLast(() -> Mono.usingWhen(RedisStore.connect(redis),
                    store -> store.scan("*" + id + "*").flatMap(store::del, 8).then(),
                    RedisStore::close).block(Duration.ofSeconds(30)));
        }
        for (Console child : children) {
            child.interrupt();
        }
        Runnable step;
        while ((step = cleanup.pollFirst()) != null) {
            try {
                step.run();
            } catch (RuntimeException e) {
                console.note("warning: cleaning up: %s", Errors.describe(e));
            }
        }
        if (!keep) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                console.note("warning: cannot delete %s: %s", dir, Errors.describe(e));
            }
        }
    }

    private static void check(boolean condition, String reason) {
        if (!condition) {
            throw new Failed(reason);
        }
    }

    /** Waits (at most {@link #PART_LIMIT}) until {@code condition} holds; false if it never did. */
    private boolean waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PART_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (console.isInterrupted()) {
                throw new Stopped();
            }
            LockSupport.parkNanos(10_000_000);
        }
        return condition.getAsBoolean();
    }

    private static String hostPort(String url) {
        Matcher m = Pattern.compile("@?([\\w.-]+:\\d+)").matcher(url.replaceFirst("^\\w+://([^@/]*@)?", ""));
        return m.find() ? m.group(1) : url;
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static JsonNode last(List<JsonNode> lines) {
        check(!lines.isEmpty(), "the command printed no JSON line");
        return lines.get(lines.size() - 1);
    }

    /** A command of the showcase run in this JVM on a console of its own, as a person would run it. */
    private final class Child {
        final String name;
        final Console console;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        Child(String name, List<String> args) {
            this(name, args.toArray(String[]::new));
        }

        Child(String name, String... args) {
            this.name = name;
            this.console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);
            children.add(console);
            if (Demo.this.console.isInterrupted()) {
                console.interrupt();
            }
            Thread thread = new Thread(() -> {
                try {
                    exit.complete(Main.commandLine(console).execute(args));
                } catch (Throwable e) {
                    exit.completeExceptionally(e);
                } finally {
                    children.remove(console);
                }
            }, "demo " + name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Its exit code, once it ends; a command still running after {@link #PART_LIMIT} is stopped, and fails. */
        int await() {
            try {
                return exit.get(PART_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                console.interrupt();
                try {
                    exit.get(15, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // reported below
                }
                throw new Failed(name + " did not finish within " + Durations.format(PART_LIMIT) + why());
            } catch (ExecutionException e) {
                throw new Failed(name + " crashed: " + Errors.describe(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped();
            }
        }

        /** The URL a server printed in its "listening on" line. */
        String listening() {
            Matcher[] found = new Matcher[1];
            check(waitFor(() -> {
                found[0] = LISTENING.matcher(out.toString(StandardCharsets.UTF_8));
                return found[0].find() || exit.isDone();
            }, name + " listening") && !exit.isDone(), name + " did not start" + why());
            return found[0].group(1);
        }

        List<JsonNode> json() {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("{")) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new Failed(name + " printed a line that is not JSON: " + line);
                    }
                }
            }
            return lines;
        }

        /** ": " and the command's error line, when it printed one. */
        String why() {
            ArrayDeque<String> errors = new ArrayDeque<>();
            for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("error: ")) {
                    errors.add(line.substring(7));
                }
            }
            return errors.isEmpty() ? "" : ": " + errors.getLast();
        }
    }
}
