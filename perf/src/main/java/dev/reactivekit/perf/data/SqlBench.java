package dev.reactivekit.perf.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reactivekit.data.sql.Database;
import dev.reactivekit.data.sql.SqlOptions;
import dev.reactivekit.perf.Measurements;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.postgresql.PGConnection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL throughput, {@link Database} against raw R2DBC (r2dbc-pool, same size) and JDBC + HikariCP (on
 * virtual threads when the JVM has them, else one platform thread per connection), rounds alternating, in one
 * run; and {@code pgbench -S -c 20} when installed:
 * <ol>
 *   <li>point queries: {@code SELECT id, name, email FROM users WHERE id = $1} on a 100,000-row table, pool of
 *       20, 20 in flight, 50,000 queries per run;</li>
 *   <li>batch insert: 100,000 rows per run, ours ({@code Database.batch}, which runs a plain INSERT as COPY)
 *       vs raw R2DBC {@code Statement.add()} vs JDBC {@code addBatch} ({@code reWriteBatchedInserts}); and
 *       {@code Database.copyRecords} (one COPY) vs pgjdbc's {@code CopyManager} (one COPY).</li>
 * </ol>
 * Needs a PostgreSQL where it may create and drop a database: {@code --url} (an admin URL, default
 * {@code postgresql://postgres@127.0.0.1:5432/postgres}).
 * <pre>java -cp perf/target/reactivekit-benchmarks.jar dev.reactivekit.perf.data.SqlBench</pre>
 */
@Command(name = "sql-bench", mixinStandardHelpOptions = true,
        description = "Point queries and batch inserts: Database vs raw R2DBC vs JDBC+HikariCP vs pgbench.")
public final class SqlBench implements Callable<Integer> {

    private static final int ROWS = 100_000;
    private static final int POOL = 20;
    private static final String POINT = "SELECT id, name, email FROM users WHERE id = $1";

    @Option(names = "--url", defaultValue = "postgresql://postgres@127.0.0.1:5432/postgres",
            description = "Admin URL of the server (default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--queries", defaultValue = "50000", description = "Point queries per run (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--rounds", defaultValue = "4", description = "Measured runs per side (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up runs per side (default ${DEFAULT-VALUE}).")
    int warmup;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SqlBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        java.net.URI admin = java.net.URI.create(url);
        String host = admin.getHost();
        int port = admin.getPort() < 0 ? 5432 : admin.getPort();
        String user = admin.getUserInfo() == null ? "postgres" : admin.getUserInfo().split(":")[0];
        String db = "rkbench_" + ProcessHandle.current().pid();
        Database adminDb = Database.connect(url, SqlOptions.builder().minSize(0).maxSize(1).build()).block();
        adminDb.execute("CREATE DATABASE " + db).block();
        String benchUrl = "postgresql://" + user + "@" + host + ":" + port + "/" + db;
        Database ours = Database.connect(benchUrl, SqlOptions.builder().minSize(POOL).maxSize(POOL).build()).block();
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
            ours.execute("CREATE TABLE users (id INT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)").block();
            ours.execute("INSERT INTO users SELECT i, 'user' || i, 'user' || i || '@example.com' FROM generate_series(1, "
                    + ROWS + ") i").block();
            ours.execute("CREATE TABLE inserts (id INT, name TEXT, email TEXT)").block();
            raw.warmup().block();
            System.out.printf(Locale.ROOT, "%s on %s:%d; JDBC threads: %s; %d runs per side after %d warm-up runs%n%n",
                    System.getProperty("java.version"), host, port, threads.getClass().getSimpleName().contains("ThreadPerTask")
                            ? "virtual" : "platform (" + POOL + ")", rounds, warmup);
            pointQueries(ours, raw, jdbc, threads, host, port, user, db);
            batchInserts(ours, raw, jdbc);
        } finally {
            threads.shutdownNow();
            jdbc.close();
            raw.disposeLater().block();
            ours.close().block();
            adminDb.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)").block();
            adminDb.close().block();
        }
        return 0;
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
                .flatMap(i -> ours.queryOne(POINT, id()).map(r -> r.getString("email")), POOL));
        Measurements.Run rawRun = () -> rate(queries, Flux.range(0, queries)
                .flatMap(i -> Flux.usingWhen(raw.create(),
                        c -> Flux.from(c.createStatement(POINT).bind(0, id()).execute())
                                .concatMap(result -> result.map((row, meta) -> row.get("email", String.class))),
                        Connection::close), POOL));
        Measurements.Run jdbcRun = () -> jdbcPointQueries(jdbc, threads);
        for (int i = 0; i < warmup; i++) {
            oursRun.run();
            rawRun.run();
            jdbcRun.run();
        }
        Measurements m = new Measurements();
        LinkedHashMap<String, Measurements.Run> runs = new LinkedHashMap<>();
        runs.put("Database.queryOne", oursRun);
        runs.put("raw R2DBC (r2dbc-pool)", rawRun);
        runs.put("JDBC + HikariCP", jdbcRun);
        m.interleave(rounds, runs);
        System.out.printf(Locale.ROOT, "(a) point queries by primary key, %,d per run, pool %d, %d in flight; queries/s%n",
                queries, POOL, POOL);
        System.out.print(m.table("q/s", "JDBC + HikariCP",
                List.of("Database.queryOne", "raw R2DBC (r2dbc-pool)", "JDBC + HikariCP")));
        System.out.println(pgbench(host, port, user, db));
        System.out.println();
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
                            rs.getString("email");
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
            return tps.find() ? String.format(Locale.ROOT, "%-36s %12.0f   (pgbench -S -c %d -T 10, C client, one run)",
                    "pgbench", Double.parseDouble(tps.group(1)), POOL) : "pgbench: unreadable output";
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
            Long n = ours.batch(insert, Flux.range(0, ROWS).map(i -> new Object[] {i, "n" + i, "e" + i})).block();
            return check(n, ROWS / ((System.nanoTime() - start) / 1e9));
        };
        Measurements.Run rawRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            Long n = Flux.usingWhen(raw.create(), c -> Mono.from(c.beginTransaction())
                            .thenMany(Flux.range(0, ROWS).buffer(1_000).concatMap(chunk -> {
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
            return check(n, ROWS / ((System.nanoTime() - start) / 1e9));
        };
        Measurements.Run jdbcRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            try (var c = jdbc.getConnection(); PreparedStatement s = c.prepareStatement(
                    "INSERT INTO inserts (id, name, email) VALUES (?, ?, ?)")) {
                c.setAutoCommit(false);
                for (int i = 0; i < ROWS; i++) {
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
            return ROWS / ((System.nanoTime() - start) / 1e9);
        };
        Measurements.Run copyRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            Long n = ours.copyRecords("inserts", List.of("id", "name", "email"),
                    Flux.range(0, ROWS).map(i -> new Object[] {i, "n" + i, "e" + i})).block();
            return check(n, ROWS / ((System.nanoTime() - start) / 1e9));
        };
        Measurements.Run jdbcCopyRun = () -> {
            truncate(ours);
            long start = System.nanoTime();
            long n;
            try (var c = jdbc.getConnection()) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < ROWS; i++) {
                    text.append(i).append('\t').append("n").append(i).append('\t').append("e").append(i).append('\n');
                }
                n = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY inserts (id, name, email) FROM STDIN",
                        new StringReader(text.toString()));
            }
            return check(n, ROWS / ((System.nanoTime() - start) / 1e9));
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
        System.out.printf(Locale.ROOT, "(b) batch insert, %,d rows per run, one transaction; batches of 1,000"
                + " (Database.batch streams them as one COPY); rows/s%n", ROWS);
        System.out.print(m.table("rows/s", "JDBC addBatch", List.of("Database.batch", "raw R2DBC Statement.add",
                "JDBC addBatch", "Database.copyRecords", "JDBC CopyManager")));
        System.out.println();
    }

    private static void truncate(Database db) {
        db.execute("TRUNCATE inserts").block();
    }

    private static double check(Long inserted, double rate) {
        if (inserted == null || inserted != ROWS) {
            throw new IllegalStateException("inserted " + inserted + " of " + ROWS);
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
