package dev.reactivekit.showcase;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reactivekit.core.Outcome;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.data.sql.Database;
import dev.reactivekit.data.sql.SqlNull;
import dev.reactivekit.data.sql.SqlOptions;
import dev.reactivekit.io.http.FetchResult;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpRequest;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.Errors;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Progress;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.Urls;
import dev.reactivekit.showcase.cli.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code ingest}: the seed's API-to-database application ({@code AsyncApiWithDatabase}) done right: pages of JSON
 * records fetched concurrently, each record validated, the valid ones written in batches as upserts, each batch
 * one transaction (rolled back alone when it fails), so a rerun updates rather than duplicates.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Fetch JSON user records from API URLs concurrently, validate them, and upsert them in batches into a table.",
                "Each URL answers {\"users\": [{\"id\", \"name\", \"email\", \"age\", \"city\", \"created_at\"}, ...]} (httpbin's /users?page=&size= does).",
                "A URL with {page} in it is fetched for pages 1 to --pages."})
final class Ingest extends AppCommand {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    static final int MAX_NAME = 100;
    static final int MAX_EMAIL = 200;

    @Parameters(arity = "1..*", paramLabel = "URL", description = "API URLs to fetch records from.")
    List<String> urls;

    @Option(names = "--pages", defaultValue = "1", description = "Pages fetched of a URL holding {page}: 1 to N.")
    int pages;

    @Option(names = "--db", paramLabel = "URL", description = "Database: postgresql://, mariadb:// or sqlite: URL (default: an embedded PostgreSQL for the duration of the command).")
    String db;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "8", description = "Pages fetched at once.")
    int concurrency;

    @Option(names = "--batch-size", defaultValue = "500", description = "Records per batch (one transaction each).")
    int batchSize;

    @Option(names = "--table", defaultValue = "ingest_users", description = "Table written (created when missing).")
    String table;

    @Option(names = "--timeout", defaultValue = "10s", description = "Longest time for one fetch attempt.")
    Duration timeout;

    @Option(names = "--retries", defaultValue = "2", description = "Retries of a page whose fetch failed transiently (5xx, connection error, timeout).")
    int retries;

    /** A record that passed validation. */
    record User(long id, String name, String email, int age, String city, String createdAt) {
    }

    /** What a run did, counted as it goes (fetches run concurrently). */
    static final class Counts {
        final AtomicLong fetched = new AtomicLong();
        final AtomicLong written = new AtomicLong();
        final AtomicLong pagesOk = new AtomicLong();
        final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
        final List<String> failedPages = Collections.synchronizedList(new ArrayList<>());
        final List<String> failedBatches = Collections.synchronizedList(new ArrayList<>());

        long rejectedTotal() {
            return rejected.values().stream().mapToLong(AtomicLong::get).sum();
        }
    }

    @Override
    protected int run() {
        if (pages < 1 || concurrency < 1 || batchSize < 1 || retries < 0) {
            throw new UsageException("--pages, --concurrency and --batch-size must be at least 1, --retries at least 0");
        }
        if (!TABLE.matcher(table).matches()) {
            throw new UsageException("--table must be a plain SQL name (letters, digits, _), not '" + table + "'");
        }
        List<String> all = expand();
        Dialect dialect = db == null ? Dialect.POSTGRESQL : Dialect.of(db);
        long started = System.nanoTime();
        Counts counts = new Counts();
        EmbeddedServers.Postgres embedded = null;
        Database database = null;
        HttpFetcher fetcher = fetcher();
        try {
            String url = db;
            if (url == null) {
                console.note("starting an embedded PostgreSQL...");
                embedded = EmbeddedServers.Postgres.start();
                url = embedded.url();
            }
            database = Database.connect(url, SqlOptions.builder().minConnections(1).maxConnections(2).build())
                    .block(Duration.ofSeconds(60));
            database.execute(dialect.createTable(table)).block(Duration.ofSeconds(30));
            ingest(all, fetcher, database, dialect, counts);
        } finally {
            fetcher.close().block(Duration.ofSeconds(10));
            if (database != null) {
                database.close().block(Duration.ofSeconds(10));
            }
            if (embedded != null) {
                embedded.close();
            }
        }
        report(counts, Duration.ofNanos(System.nanoTime() - started), all.size());
        boolean failures = !counts.failedPages.isEmpty() || !counts.failedBatches.isEmpty();
        return console.isInterrupted() ? ExitCodes.INTERRUPTED : failures ? ExitCodes.FAILURES : ExitCodes.OK;
    }

    private List<String> expand() {
        List<String> all = new ArrayList<>();
        for (String url : urls) {
            if (url.contains("{page}")) {
                Urls.http(url.replace("{page}", "1"));
                for (int page = 1; page <= pages; page++) {
                    all.add(url.replace("{page}", String.valueOf(page)));
                }
            } else {
                all.add(Urls.http(url));
            }
        }
        return all;
    }

    private HttpFetcher fetcher() {
        return HttpFetcher.builder()
                .maxConnections(concurrency)
                .maxConnectionsPerHost(concurrency)
                .totalTimeout(timeout)
                .responseTimeout(timeout)
                .readTimeout(timeout)
                .retry(retries == 0 ? RetryPolicy.none() : HttpFetcher.DEFAULT_RETRY.maxAttempts(retries + 1))
                .build();
    }

    private void ingest(List<String> all, HttpFetcher fetcher, Database database, Dialect dialect, Counts counts) {
        String upsert = dialect.upsert(table);
        try (Progress progress = Progress.items(showProgress(), "ingest", all.size())) {
            Flux<User> users = Flux.fromIterable(all)
                    .flatMap(url -> Outcome.capture(fetcher.send(HttpRequest.get(url)))
                            .map(outcome -> parse(url, outcome, counts)), concurrency)
                    .doOnNext(page -> progress.step(1))
                    .concatMapIterable(page -> page);
            // Ctrl-C stops the fetching and lets the batch being written finish (or fail) whole: the records
            // fetched but not yet in a batch are dropped, and reported as fetched, not written.
            users.buffer(batchSize)
                    .takeUntilOther(console.interrupted())
                    .concatMap(batch -> write(database, upsert, batch, counts), 0)
                    .blockLast();
        }
    }

    /** The valid users of one page; a failed page or a malformed record is counted, never fatal. */
    private List<User> parse(String url, Outcome<FetchResult> outcome, Counts counts) {
        if (!outcome.isSuccess()) {
            counts.failedPages.add(url + ": " + Errors.withoutRequest(Errors.unwrap(outcome.error())));
            return List.of();
        }
        JsonNode records;
        try {
            records = outcome.value().json(JsonNode.class).get("users");
        } catch (RuntimeException e) {
            counts.failedPages.add(url + ": not JSON (" + Errors.describe(e) + ")");
            return List.of();
        }
        if (records == null || !records.isArray()) {
            counts.failedPages.add(url + ": no \"users\" array in the reply");
            return List.of();
        }
        counts.pagesOk.incrementAndGet();
        List<User> valid = new ArrayList<>();
        for (JsonNode record : records) {
            counts.fetched.incrementAndGet();
            String problem = problem(record);
            if (problem != null) {
                counts.rejected.computeIfAbsent(problem, p -> new AtomicLong()).incrementAndGet();
            } else {
                valid.add(new User(record.get("id").asLong(), record.get("name").asText().strip(),
                        record.get("email").asText(), record.get("age").asInt(), text(record, "city"),
                        text(record, "created_at")));
            }
        }
        return valid;
    }

    /** Why {@code record} is rejected, or {@code null} when it is valid. */
    static String problem(JsonNode record) {
        if (!record.isObject()) {
            return "not an object";
        }
        JsonNode id = record.get("id");
        if (id == null || !id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() < 1) {
            return "id missing or not a positive integer";
        }
        JsonNode name = record.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            return "name missing or blank";
        }
        if (name.asText().strip().length() > MAX_NAME) {
            return "name longer than " + MAX_NAME;
        }
        JsonNode email = record.get("email");
        if (email == null || !email.isTextual()) {
            return "email missing";
        }
        if (email.asText().length() > MAX_EMAIL || !EMAIL.matcher(email.asText()).matches()) {
            return "email malformed";
        }
        JsonNode age = record.get("age");
        if (age == null || !age.isIntegralNumber() || age.asInt() < 0 || age.asInt() > 150) {
            return "age missing or not in 0-150";
        }
        return null;
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * One batch, one transaction: written whole, or rolled back whole and reported with its first and last id.
     * A user twice in a batch is written once, as its last record says (one upsert cannot touch a row twice).
     */
    private Mono<Long> write(Database database, String upsert, List<User> batch, Counts counts) {
        Map<Long, User> byId = new LinkedHashMap<>();
        batch.forEach(user -> byId.put(user.id(), user));
        List<Object[]> rows = byId.values().stream()
                .map(u -> new Object[] {u.id(), u.name(), u.email(), u.age(),
                        u.city() == null ? SqlNull.of(String.class) : u.city(),
                        u.createdAt() == null ? SqlNull.of(String.class) : u.createdAt()})
                .toList();
        return database.batch(upsert, Flux.fromIterable(rows), rows.size())
                .map(n -> {
                    counts.written.addAndGet(rows.size());
                    return n;
                })
                .onErrorResume(e -> {
                    counts.failedBatches.add("ids " + batch.get(0).id() + "-" + batch.get(batch.size() - 1).id()
                            + " (" + rows.size() + " records) rolled back: " + Errors.describe(Errors.unwrap(e)));
                    return Mono.just(0L);
                });
    }

    private void report(Counts counts, Duration wall, int urlCount) {
        double seconds = Math.max(wall.toNanos() / 1e9, 1e-9);
        double rowsPerSecond = counts.written.get() / seconds;
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("summary", true);
            summary.put("pages", urlCount);
            summary.put("pages_failed", counts.failedPages.size());
            summary.put("fetched", counts.fetched.get());
            summary.put("written", counts.written.get());
            summary.put("rejected", counts.rejectedTotal());
            summary.put("rejected_by_reason", new TreeMap<>(Map.copyOf(counts.rejected)).entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(),
                            (a, b) -> a, LinkedHashMap::new)));
            summary.put("batches_failed", List.copyOf(counts.failedBatches));
            summary.put("failed_pages", List.copyOf(counts.failedPages));
            summary.put("rows_per_s", Math.round(rowsPerSecond * 10) / 10.0);
            summary.put("wall_s", Math.round(seconds * 1000) / 1000.0);
            console.json(summary);
            return;
        }
        Table table = new Table(100, "", "count");
        table.row("pages fetched", counts.pagesOk.get() + " of " + urlCount);
        table.row("records fetched", counts.fetched.get());
        table.row("records written", counts.written.get());
        table.row("records rejected", counts.rejectedTotal());
        new TreeMap<>(counts.rejected).forEach((reason, n) -> table.row("  " + reason, n.get()));
        table.row("pages failed", counts.failedPages.size());
        table.row("batches failed", counts.failedBatches.size());
        table.print(console.out());
        for (String failed : counts.failedPages) {
            console.out().println("failed page: " + failed);
        }
        for (String failed : counts.failedBatches) {
            console.out().println("failed batch: " + failed);
        }
        console.out().printf(Locale.ROOT, "%n%d records written to %s in %s: %.0f rows/s%s%n", counts.written.get(),
                this.table, Durations.format(wall), rowsPerSecond,
                console.isInterrupted() ? "; interrupted: run it again, it updates what is there" : "");
    }

    /** The SQL each backend needs: the same table, and its own upsert spelling. */
    enum Dialect {
        POSTGRESQL, MARIADB, SQLITE;

        static Dialect of(String url) {
            String lower = url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
                return POSTGRESQL;
            }
            if (lower.startsWith("mariadb:") || lower.startsWith("mysql:")) {
                return MARIADB;
            }
            if (lower.startsWith("sqlite:")) {
                return SQLITE;
            }
            throw new UsageException("--db must be a postgresql://, mariadb:// or sqlite: URL, not '" + url + "'");
        }

        String createTable(String table) {
            return "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(" + MAX_NAME
                    + ") NOT NULL, email VARCHAR(" + MAX_EMAIL + ") NOT NULL, age INT NOT NULL, city VARCHAR(100), "
                    + "created_at VARCHAR(40))";
        }

        String upsert(String table) {
            String insert = "INSERT INTO " + table + " (id, name, email, age, city, created_at) VALUES ($1, $2, $3, $4, $5, $6) ";
            List<String> columns = List.of("name", "email", "age", "city", "created_at");
            if (this == MARIADB) {
                return insert + "ON DUPLICATE KEY UPDATE " + String.join(", ",
                        columns.stream().map(c -> c + " = VALUES(" + c + ")").toList());
            }
            return insert + "ON CONFLICT (id) DO UPDATE SET " + String.join(", ",
                    columns.stream().map(c -> c + " = EXCLUDED." + c).toList());
        }
    }
}
