package dev.reactivekit.perf.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reactivekit.data.sql.Database;
import dev.reactivekit.data.sql.SqlOptions;
import dev.reactivekit.perf.Measurements;
import dev.reactivekit.perf.Scenario;
import dev.reactivekit.perf.vertx.VertxBaselines;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import dev.reactivekit.showcase.EmbeddedServers;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.UsageException;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.postgresql.PGConnection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * PostgreSQL throughput, {@link Database} against raw R2DBC (r2dbc-pool, same size) and JDBC + HikariCP (on
 * virtual threads when the JVM has them, else one platform thread per connection), rounds alternating, in one
 * run; and {@code pgbench -S -c 20} when installed:
 * <ol>
 *   <li>point queries: {@code SELECT id, name, email FROM users WHERE id = $1} on a 100,000-row table, pool of
 *       20, 20 in flight, 50,000 queries per run, each side reading all three columns of the row;</li>
 *   <li>batch insert: 100,000 rows per run, ours ({@code Database.batch}, which runs a plain INSERT as COPY)
 *       vs raw R2DBC {@code Statement.add()} vs JDBC {@code addBatch} ({@code reWriteBatchedInserts}); and
 *       {@code Database.copyRecords} (one COPY) vs pgjdbc's {@code CopyManager} (one COPY).</li>
 * </ol>
 * Runs on a PostgreSQL where it may create and drop a database: {@code --pg URL} (an admin URL), else
 * {@code REACTIVEKIT_PG_URL}, else an embedded PostgreSQL started for the run.
 * <pre>./reactivekit perf pg</pre>
 */
@Command(name = "pg", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Point queries and batch inserts: Database vs raw R2DBC vs JDBC+HikariCP vs pgbench.")
public final class SqlBench extends Scenario {

    private static final int ROWS = 100_000;
    private static final int POOL = 20;
    private static final String POINT = "SELECT id, name, email FROM users WHERE id = $1";
    static final String VERTX_CACHED = "Vert.x pg pool, statement cache";
    static final String VERTX_PIPELINED = "Vert.x pg pipelined client, cache";
    static final String VERTX_DEFAULTS = "Vert.x pg pool (defaults)";

    /** What every side makes of the row it fetched: all three columns read, as an application would. */
    record User(int id, String name, String email) {
    }

    @Option(names = {"--pg", "--url"}, paramLabel = "URL", description = "Admin URL of the PostgreSQL to measure on"
            + " (default: $REACTIVEKIT_PG_URL, else an embedded PostgreSQL for the run).")
    String url;

    @Option(names = "--queries", defaultValue = "50000", description = "Point queries per run.")
    int queries;

    @Option(names = "--rows", defaultValue = "100000", description = "Rows per batch-insert run.")
    int rows;

    @Option(names = "--external", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run pgbench -S when it is installed.")
    boolean external;

    @Option(names = "--rounds", defaultValue = "4", description = "Measured runs per side.")
    int rounds;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up runs per side.")
    int warmup;

    @Option(names = "--settings", description = "Also run the point queries on raw R2DBC under the driver and pool"
            + " settings tried against the JDBC gap (binary transfer, no statement cache, one event loop, no pool,"
            + " pipelining).")
    boolean settings;


    @Override
    public List<String> quickArguments() {
        return List.of("--queries", "20000", "--rows", "50000", "--rounds", "2", "--warmup", "1");
    }

    @Override
    protected int measure() throws Exception {
        if (queries < 1 || rows < 1 || rounds < 1 || warmup < 0) {
            throw new UsageException("--queries, --rows and --rounds must be at least 1, --warmup at least 0");
        }
        String given = url != null ? url : System.getenv("REACTIVEKIT_PG_URL");
        if (given != null && !given.isBlank()) {
            return measureOn(given);
        }
        console.note("starting an embedded PostgreSQL (--pg URL to measure another)...");
        try (EmbeddedServers.Postgres embedded = EmbeddedServers.Postgres.start()) {
            return measureOn(embedded.url());
        }
    }

    private int measureOn(String url) throws Exception {
        java.net.URI admin = java.net.URI.create(url);
        String host = admin.getHost();
        int port = admin.getPort() < 0 ? 5432 : admin.getPort();
        String user = admin.getUserInfo() == null ? "postgres" : admin.getUserInfo().split(":")[0];
        String db = "rkbench_" + ProcessHandle.current().pid();
        Database adminDb = Database.connect(url, SqlOptions.builder().minConnections(0).maxConnections(1).build()).block();
        adminDb.execute("CREATE DATABASE " + db).block();
        String benchUrl = "postgresql://" + user + "@" + host + ":" + port + "/" + db;
        if (settings) {
            // Only the settings: every variant is paired with the default, 40 connections at a time.
            Database setup = Database.connect(benchUrl, SqlOptions.builder().minConnections(0).maxConnections(1).build()).block();
            try {
                createTables(setup);
                driverSettings(host, port, user, db);
            } finally {
                setup.close().block();
                adminDb.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)").block();
                adminDb.close().block();
            }
            return ExitCodes.OK;
        }
        Database ours = Database.connect(benchUrl, SqlOptions.builder().minConnections(POOL).maxConnections(POOL).build()).block();
        ConnectionPool raw = new ConnectionPool(ConnectionPoolConfiguration.builder(new PostgresqlConnectionFactory(
                PostgresqlConnectionConfiguration.builder().host(host).port(port).username(user).database(db).build()))
                .initialSize(POOL).maxSize(POOL).build());
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl("jdbc:postgresql://" + host + ":" + port + "/" + db + "?reWriteBatchedInserts=true");
        hikari.setUsername(user);
        hikari.setMaximumPoolSize(POOL);
        hikari.setMinimumIdle(POOL);
        HikariDataSource jdbc = new HikariDataSource(hikari);
        ExecutorService threads = jdbcThreads();
        try {
            createTables(ours);
            raw.warmup().block();
            header("Java %s, PostgreSQL on %s:%d; JDBC threads: %s; %d runs per side after %d warm-up runs",
                    System.getProperty("java.version"), host, port, threads.getClass().getSimpleName().contains("ThreadPerTask")
                            ? "virtual" : "platform (" + POOL + ")", rounds, warmup);
            pointQueries(ours, raw, jdbc, threads, host, port, user, db);
            if (settings) {
                driverSettings(host, port, user, db);
            }
            batchInserts(ours, raw, jdbc);
        } finally {
            threads.shutdownNow();
            jdbc.close();
            raw.disposeLater().block();
            ours.close().block();
            adminDb.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)").block();
            adminDb.close().block();
        }
        return ExitCodes.OK;
    }

    private static void createTables(Database db) {
        db.execute("CREATE TABLE users (id INT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)").block();
        db.execute("INSERT INTO users SELECT i, 'user' || i, 'user' || i || '@example.com' FROM generate_series(1, "
                + ROWS + ") i").block();
        db.execute("CREATE TABLE inserts (id INT, name TEXT, email TEXT)").block();
    }

    private static ExecutorService jdbcThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            return Executors.newFixedThreadPool(POOL);
        }
    }

    // ------------------------------------------------------------------ (a) point queries

    private void pointQueries(Database ours, ConnectionPool raw, HikariDataSource jdbc, ExecutorService threads,
            String host, int port, String user, String db) throws Exception {
        Measurements.Run oursRun = () -> rate(queries, Flux.range(0, queries)
                .flatMap(i -> ours.queryOne(POINT, id())
                        .map(r -> new User(r.getInt("id"), r.getString("name"), r.getString("email"))), POOL));
        Measurements.Run rawRun = () -> rate(queries, Flux.range(0, queries)
                .flatMap(i -> Flux.usingWhen(raw.create(), SqlBench::pointQuery, Connection::close), POOL));
        Measurements.Run jdbcRun = () -> jdbcPointQueries(jdbc, threads);
        LinkedHashMap<String, Measurements.Run> runs = new LinkedHashMap<>();
        runs.put("Database.queryOne", oursRun);
        runs.put("raw R2DBC (r2dbc-pool)", rawRun);
        runs.put("JDBC + HikariCP", jdbcRun);
        VertxBaselines vertx = new VertxBaselines();
        java.net.URI bench = java.net.URI.create("postgresql://" + user + "@" + host + ":" + port + "/" + db);
        Map<String, SqlClient> vertxClients = new LinkedHashMap<>();
        vertxClients.put(VERTX_CACHED, vertx.pg(bench, POOL, true, false));
        vertxClients.put(VERTX_PIPELINED, vertx.pg(bench, POOL, true, true));
        vertxClients.put(VERTX_DEFAULTS, vertx.pg(bench, POOL, false, false));
        vertxClients.forEach((name, client) -> runs.put(name, () -> rate(queries, Flux.range(0, queries)
                .flatMap(i -> VertxBaselines.queryOne(client, POINT, Tuple.of(id()),
                        r -> new User(r.getInteger("id"), r.getString("name"), r.getString("email"))), POOL))));
        Measurements m = new Measurements();
        try {
            new Measurements().interleave(warmup, runs);
            m.interleave(rounds, runs);
        } finally {
            vertxClients.values().forEach(VertxBaselines::close);
            vertx.close();
        }
        report(m.toCase(name(), String.format(Locale.ROOT, "point queries by primary key, %,d per run, pool %d, %d in"
                        + " flight", queries, POOL, POOL), "queries/s", true, "Database.queryOne",
                List.copyOf(runs.keySet()), java.util.Map.of(),
                external ? List.of(pgbench(host, port, user, db)) : List.of()));
    }

    /**
     * Raw R2DBC point queries under each setting tried against the gap to JDBC: every variant its own pool of
     * {@value #POOL}, interleaved with a pool of the default configuration in the same run.
     */
    private void driverSettings(String host, int port, String user, String db) throws Exception {
        Function<UnaryOperator<PostgresqlConnectionConfiguration.Builder>, PostgresqlConnectionFactory> factory =
                tune -> new PostgresqlConnectionFactory(tune.apply(PostgresqlConnectionConfiguration.builder()
                        .host(host).port(port).username(user).database(db)).build());
        LoopResources oneLoop = LoopResources.create("bench-one-loop", 1, true);
        LinkedHashMap<String, UnaryOperator<PostgresqlConnectionConfiguration.Builder>> variants = new LinkedHashMap<>();
        variants.put("forceBinary(true)", b -> b.forceBinary(true));
        variants.put("preparedStatementCacheQueries(0)", b -> b.preparedStatementCacheQueries(0));
        variants.put("one event loop", b -> b.loopResources(oneLoop));
        // Without a pool: fixed connections, each query on its worker's own (or, pipelined, 4 per connection).
        variants.put("no pool (20 fixed connections)", b -> b);
        variants.put("no pool + forceBinary(true)", b -> b.forceBinary(true));
        variants.put("pipelined (4 in flight on each of 5)", b -> b);
        console.out().printf(Locale.ROOT, "(c) raw R2DBC point queries under the settings tried, %,d per run, %d rounds,"
                + " each paired with the default configuration; queries/s%n", queries, rounds);
        console.out().printf(Locale.ROOT, "%-36s %12s %12s %8s%n", "setting", "default", "setting", "paired");
        try {
            for (var variant : variants.entrySet()) {
                ConnectionPool base = pool(factory.apply(b -> b));
                boolean pipelined = variant.getKey().startsWith("pipelined");
                boolean pooled = !pipelined && !variant.getKey().startsWith("no pool");
                int connections = pipelined ? POOL / 4 : POOL;
                ConnectionPool tuned = pooled ? pool(factory.apply(variant.getValue())) : null;
                List<Connection> fixed = pooled ? List.of() : Flux.range(0, connections)
                        .concatMap(i -> factory.apply(variant.getValue()).create()).cast(Connection.class)
                        .collectList().block();
                try {
                    Measurements.Run baseRun = () -> rate(queries, Flux.range(0, queries)
                            .flatMap(i -> Flux.usingWhen(base.create(), SqlBench::pointQuery, Connection::close), POOL));
                    Measurements.Run tunedRun = tuned != null
                            ? () -> rate(queries, Flux.range(0, queries).flatMap(
                                    i -> Flux.usingWhen(tuned.create(), SqlBench::pointQuery, Connection::close), POOL))
                            : () -> rate(queries, Flux.range(0, POOL).flatMap(w -> Flux.range(0, queries / POOL)
                                    .concatMap(i -> pointQuery(fixed.get(w % connections))), POOL));
                    baseRun.run();
                    tunedRun.run();
                    Measurements m = new Measurements();
                    m.interleave(rounds, "default", baseRun, variant.getKey(), tunedRun);
                    console.out().printf(Locale.ROOT, "%-36s %12.0f %12.0f %7.2fx%n", variant.getKey(), m.median("default"),
                            m.median(variant.getKey()), m.pairedRatio(variant.getKey(), "default"));
                } finally {
                    Flux.fromIterable(fixed).concatMap(Connection::close).blockLast();
                    base.disposeLater().block();
                    if (tuned != null) {
                        tuned.disposeLater().block();
                    }
                }
            }
        } finally {
            oneLoop.disposeLater().block();
        }
        console.out().println();
    }

    /** Keeps the JIT from dropping the JDBC side's row reads. */
    private static volatile User lastUser;

    private static void user(User user) {
        lastUser = user;
    }

    private static ConnectionPool pool(PostgresqlConnectionFactory factory) {
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(factory).initialSize(POOL)
                .maxSize(POOL).build());
        pool.warmup().block();
        return pool;
    }

    private static Flux<User> pointQuery(Connection c) {
        return Flux.from(c.createStatement(POINT).bind(0, id()).execute())
                .concatMap(result -> result.map((row, meta) -> new User(row.get("id", Integer.class),
                        row.get("name", String.class), row.get("email", String.class))));
    }

    private double jdbcPointQueries(HikariDataSource jdbc, ExecutorService threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < POOL; w++) {
            workers.add(threads.submit(() -> {
                try (var c = jdbc.getConnection(); PreparedStatement s = c.prepareStatement(
                        "SELECT id, name, email FROM users WHERE id = ?")) {
                    while (next.getAndIncrement() < queries) {
                        s.setInt(1, id());
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            user(new User(rs.getInt("id"), rs.getString("name"), rs.getString("email")));
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return queries / ((System.nanoTime() - start) / 1e9);
    }

    private String pgbench(String host, int port, String user, String db) {
        try {
            run("pgbench", "-i", "-s", "1", "-q", "-h", host, "-p", String.valueOf(port), "-U", user, db);
            String out = run("pgbench", "-S", "-c", String.valueOf(POOL), "-j", "2", "-T", "10", "-h", host, "-p",
                    String.valueOf(port), "-U", user, db);
            Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
            return tps.find() ? String.format(Locale.ROOT, "pgbench -S -c %d -T 10 (C client), one run: %.0f queries/s",
                    POOL, Double.parseDouble(tps.group(1))) : "pgbench: unreadable output";
        } catch (java.io.IOException e) {
            return "pgbench: not installed, skipped";
        } catch (Exception e) {
            return "pgbench: failed: " + e.getMessage();
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ (b) batch inserts

    private void batchInserts(Database ours, ConnectionPool raw, HikariDataSource jdbc) throws Exception {
        String insert = "INSERT INTO inserts (id, name, email) VALUES ($1, $2, $3)";
        Measurements.Run oursRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            Long n = ours.batch(insert, Flux.range(0, rows).map(i -> new Object[] {i, "n" + i, "e" + i})).block();
            return check(n, rows / ((System.nanoTime() - start) / 1e9));
        };
        Measurements.Run rawRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            Long n = Flux.usingWhen(raw.create(), c -> Mono.from(c.beginTransaction())
                            .thenMany(Flux.range(0, rows).buffer(1_000).concatMap(chunk -> {
                                var s = c.createStatement(insert);
                                for (int k = 0; k < chunk.size(); k++) {
                                    if (k > 0) {
                                        s.add();
                                    }
                                    int i = chunk.get(k);
                                    s.bind(0, i).bind(1, "n" + i).bind(2, "e" + i);
                                }
                                return Flux.from(s.execute()).concatMap(r -> r.getRowsUpdated());
                            }))
                            .concatWith(Mono.from(c.commitTransaction()).then(Mono.empty())),
                    Connection::close).reduce(0L, Long::sum).block();
            return check(n, rows / ((System.nanoTime() - start) / 1e9));
        };
        Measurements.Run jdbcRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            try (var c = jdbc.getConnection(); PreparedStatement s = c.prepareStatement(
                    "INSERT INTO inserts (id, name, email) VALUES (?, ?, ?)")) {
                c.setAutoCommit(false);
                for (int i = 0; i < rows; i++) {
                    s.setInt(1, i);
                    s.setString(2, "n" + i);
                    s.setString(3, "e" + i);
                    s.addBatch();
                    if (i % 1_000 == 999) {
                        s.executeBatch();
                    }
                }
                s.executeBatch();
                c.commit();
                c.setAutoCommit(true);
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        };
        Measurements.Run copyRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            Long n = ours.copyRecords("inserts", List.of("id", "name", "email"),
                    Flux.range(0, rows).map(i -> new Object[] {i, "n" + i, "e" + i})).block();
            return check(n, rows / ((System.nanoTime() - start) / 1e9));
        };
        Measurements.Run jdbcCopyRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            long n;
            try (var c = jdbc.getConnection()) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < rows; i++) {
                    text.append(i).append('\t').append("n").append(i).append('\t').append("e").append(i).append('\n');
                }
                n = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY inserts (id, name, email) FROM STDIN",
                        new StringReader(text.toString()));
            }
            return check(n, rows / ((System.nanoTime() - start) / 1e9));
        };
        for (int i = 0; i < Math.min(warmup, 1); i++) {
            oursRun.run();
            rawRun.run();
            jdbcRun.run();
            copyRun.run();
            jdbcCopyRun.run();
        }
        Measurements m = new Measurements();
        LinkedHashMap<String, Measurements.Run> runs = new LinkedHashMap<>();
        runs.put("Database.batch", oursRun);
        runs.put("raw R2DBC Statement.add", rawRun);
        runs.put("JDBC addBatch", jdbcRun);
        runs.put("Database.copyRecords", copyRun);
        runs.put("JDBC CopyManager", jdbcCopyRun);
        m.interleave(rounds, runs);
        report(m.toCase(name(), String.format(Locale.ROOT, "batch insert, %,d rows per run, one transaction, batches of"
                + " 1,000 (Database.batch streams them as one COPY)", rows), "rows/s",
                List.of("Database.batch", "raw R2DBC Statement.add", "JDBC addBatch")));
        report(m.toCase(name(), String.format(Locale.ROOT, "COPY, %,d rows per run", rows), "rows/s",
                List.of("Database.copyRecords", "JDBC CopyManager")));
    }

    private static void truncate(Database db) {
        db.execute("TRUNCATE inserts").block();
    }

    private double check(Long inserted, double rate) {
        if (inserted == null || inserted != rows) {
            throw new IllegalStateException("inserted " + inserted + " of " + rows);
        }
        return rate;
    }

    private static double rate(int expected, Flux<?> work) {
        long start = System.nanoTime();
        Long done = work.count().block(Duration.ofMinutes(5));
        if (done == null || done != expected) {
            throw new IllegalStateException("completed " + done + " of " + expected);
        }
        return expected / ((System.nanoTime() - start) / 1e9);
    }

    private static int id() {
        return ThreadLocalRandom.current().nextInt(1, ROWS + 1);
    }
}
