package dev.reactivekit.showcase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.testing.Poll;
import dev.reactivekit.data.redis.QueueStats;
import dev.reactivekit.data.redis.RedisStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobs enqueue | work | status} against a real Redis, with workers in this JVM and in a child JVM. */
class JobsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RedisStore<String> redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        redis = RedisStore.connect(TestRedisServer.url()).block(WAIT);
    }

    @AfterAll
    static void close() {
        redis.close().block(WAIT);
    }

    private static String queue() {
        return "test-" + UUID.randomUUID();
    }

    private static JsonNode lastJson(Cli.Result result) throws Exception {
        List<String> lines = result.out().lines().toList();
        assertThat(lines).as("no output; stderr: %s", result.err()).isNotEmpty();
        return JSON.readTree(lines.get(lines.size() - 1));
    }


    private static Map<String, String> runs(String queue) {
        return redis.hgetall("rk:jobs:{" + queue + "}:runs").block(WAIT);
    }

    private static long results(String queue) {
        return redis.hlen("rk:jobs:{" + queue + "}:results").block(WAIT);
    }

    private static QueueStats stats(String queue) {
        return redis.queue(queue).stats().block(WAIT);
    }

    @Test
    void twoWorkersDoEveryJobOnceAndTheFailingOnesEndDeadWithTheirError() throws Exception {
        String queue = queue();
        Cli.Result enqueued = Cli.run("jobs", "enqueue", "--redis", TestRedisServer.url(), "--queue", queue,
                "--count", "200", "--fail-rate", "0.05");
        assertThat(enqueued.exit()).as(enqueued.err()).isZero();
        assertThat(enqueued.out()).contains("enqueued 200 jobs to queue " + queue).contains("10 of them fail every attempt");
        List<String> work = List.of("jobs", "work", "--redis", TestRedisServer.url(), "--queue", queue, "--until-done",
                "--job-time", "5ms", "--max-attempts", "2", "--retry-delay", "50ms", "--json");
        Cli.Running a = Cli.start(work.toArray(String[]::new));
        Cli.Running b = Cli.start(work.toArray(String[]::new));
        Cli.Result ra = a.await(WAIT);
        Cli.Result rb = b.await(WAIT);
        assertThat(ra.exit()).as(ra.err()).isZero();
        assertThat(rb.exit()).as(rb.err()).isZero();
        long done = lastJson(ra).get("done").asLong() + lastJson(rb).get("done").asLong();
        assertThat(done).isEqualTo(190);
        assertThat(lastJson(ra).get("done").asLong()).as("both workers took a share").isPositive();
        assertThat(lastJson(rb).get("done").asLong()).as("both workers took a share").isPositive();
        assertThat(results(queue)).isEqualTo(190);
        assertThat(runs(queue).values()).as("every job ran to its end once").hasSize(190).containsOnly("1");

        Cli.Result status = Cli.run("jobs", "status", "--redis", TestRedisServer.url(), "--queue", queue, "--json");
        assertThat(status.exit()).as(status.err()).isZero();
        JsonNode report = lastJson(status);
        assertThat(report.get("done").asLong()).isEqualTo(190);
        assertThat(report.get("dead").asLong()).isEqualTo(10);
        assertThat(report.get("waiting").asLong()).isZero();
        assertThat(report.get("unfinished").asLong()).isZero();
        assertThat(report.get("dead_jobs")).hasSize(10).allSatisfy(dead -> {
            assertThat(dead.get("attempts").asInt()).isEqualTo(2);
            assertThat(dead.get("error").asText()).startsWith("simulated failure of job ").endsWith("(attempt 2)");
        });
        Cli.Result table = Cli.run("jobs", "status", "--redis", TestRedisServer.url(), "--queue", queue);
        assertThat(table.out()).containsPattern("done \\(results\\)\\s+190").containsPattern("dead\\s+10")
                .contains("last error");
    }

    @Test
    void aWorkerKilledMidRunLosesNoJobAndEachHasOneResult() throws Exception {
        String queue = queue();
        int count = 120;
        assertThat(Cli.run("jobs", "enqueue", "--redis", TestRedisServer.url(), "--queue", queue, "--count",
                String.valueOf(count)).exit()).isZero();
        Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "jobs", "work", "--redis", TestRedisServer.url(), "--queue", queue, "--job-time", "50ms",
                "--concurrency", "4", "--visibility", "1s", "--name", "victim")
                .redirectErrorStream(true).redirectOutput(dir.resolve("victim.log").toFile()).start();
        try {
            assertThat(Poll.until(() -> results(queue) >= 10, WAIT)).as("the victim did some jobs").isTrue();
            assertThat(Poll.until(() -> stats(queue).inProgressTotal() > 0, WAIT)).as("the victim holds jobs").isTrue();
        } finally {
            victim.destroyForcibly();
        }
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long doneByVictim = results(queue);
        assertThat(doneByVictim).isLessThan(count);

        Cli.Result survivor = Cli.run("jobs", "work", "--redis", TestRedisServer.url(), "--queue", queue, "--until-done",
                "--job-time", "1ms", "--visibility", "1s", "--json");
        assertThat(survivor.exit()).as(survivor.err()).isZero();
        assertThat(results(queue)).as("every job has its result").isEqualTo(count);
        Map<String, String> runs = runs(queue);
        assertThat(runs).hasSize(count);
        long twice = runs.values().stream().filter("2"::equals).count();
        assertThat(runs.values()).allMatch(n -> n.equals("1") || n.equals("2"));
        // Only what the victim held when killed (its 4 workers) can have run twice.
        assertThat(twice).isLessThanOrEqualTo(4);
        assertThat(stats(queue).unfinished()).isZero();
    }

    @Test
    void ctrlCGivesTheJobsInProgressBackAtOnce() {
        String queue = queue();
        assertThat(Cli.run("jobs", "enqueue", "--redis", TestRedisServer.url(), "--queue", queue, "--count", "3")
                .exit()).isZero();
        Cli.Running worker = Cli.start("jobs", "work", "--redis", TestRedisServer.url(), "--queue", queue,
                "--job-time", "1m", "--concurrency", "3");
        assertThat(Poll.until(() -> stats(queue).inProgressTotal() == 3, WAIT)).isTrue();
        Cli.Result result = worker.interrupt().await(Duration.ofSeconds(30));
        assertThat(result.exit()).isEqualTo(130);
        assertThat(result.out()).contains("0 jobs done").contains("its unfinished jobs were given back");
        QueueStats after = stats(queue);
        assertThat(after.waiting()).as("back in the queue, not waiting for the visibility timeout").isEqualTo(3);
        assertThat(after.inProgressTotal()).isZero();
    }

    @Test
    void badInputIsAOneLineError() {
        Cli.Result none = Cli.run("jobs");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("give a subcommand");
        Cli.Result name = Cli.run("jobs", "status", "--redis", TestRedisServer.url(), "--queue", "a b");
        assertThat(name.exit()).isEqualTo(2);
        assertThat(name.err()).contains("--queue must be");
        Cli.Result rate = Cli.run("jobs", "enqueue", "--redis", TestRedisServer.url(), "--fail-rate", "2");
        assertThat(rate.exit()).isEqualTo(2);
        Cli.Result scheme = Cli.run("jobs", "status", "--redis", "http://127.0.0.1:6379");
        assertThat(scheme.exit()).isEqualTo(2);
        assertThat(scheme.err()).contains("--redis must be a redis://, rediss:// or redis-cluster:// URL");
        Cli.Result unreachable = Cli.run("jobs", "status", "--redis", "redis://127.0.0.1:1");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err().lines().filter(l -> l.startsWith("error: ")).toList()).hasSize(1);
        assertThat(unreachable.err()).contains("127.0.0.1:1").doesNotContain("\tat ");
        Cli.Result help = Cli.run("jobs", "work", "--help");
        assertThat(help.out()).contains("Default: 100ms").contains("Default: redis://127.0.0.1:6379");
    }
}
