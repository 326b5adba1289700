package dev.reactivekit.showcase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.data.redis.DeadJob;
import dev.reactivekit.data.redis.Job;
import dev.reactivekit.data.redis.QueueOptions;
import dev.reactivekit.data.redis.QueueStats;
import dev.reactivekit.data.redis.RedisQueue;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.showcase.cli.AppCommand;
import dev.reactivekit.showcase.cli.Durations;
import dev.reactivekit.showcase.cli.Errors;
import dev.reactivekit.showcase.cli.ExitCodes;
import dev.reactivekit.showcase.cli.Progress;
import dev.reactivekit.showcase.cli.Table;
import dev.reactivekit.showcase.cli.Urls;
import dev.reactivekit.showcase.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code jobs enqueue | work | status}: the reliable job queue ({@link RedisQueue}) with workers in several
 * processes. A worker killed mid-job loses nothing (its jobs run elsewhere after the visibility timeout); a job's
 * result is written keyed by its id, so a job run twice still has one result; a failed attempt is retried with
 * backoff, and after the last one the job is parked with the dead jobs, with its error.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "A reliable job queue in Redis: enqueue jobs, work them off in several processes, see where they are.",
        subcommands = {Jobs.Enqueue.class, Jobs.Work.class, Jobs.Status.class})
final class Jobs implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: enqueue, work or status");
    }

    /** What every subcommand shares: the Redis and the queue. */
    abstract static class QueueCommand extends AppCommand {

        @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379", paramLabel = "URL",
                description = "The Redis holding the queue (redis://, rediss://, redis-cluster://).")
        String redis;

        @Option(names = "--queue", defaultValue = "jobs", description = "The queue's name.")
        String queue;

        RedisStore<String> connect() {
            if (!QUEUE.matcher(queue).matches()) {
                throw new UsageException("--queue must be 1 to 100 letters, digits, '_', '.' or '-', not '" + queue + "'");
            }
            return RedisStore.connect(Urls.redis("--redis", redis)).block(Duration.ofSeconds(30));
        }

        /** Results of the queue's jobs, by job id: written once per job, however often it ran. */
        String resultsKey() {
            return "rk:jobs:{" + queue + "}:results";
        }

        /** How many times each job ran to its end (a job of a killed worker may run twice). */
        String runsKey() {
            return "rk:jobs:{" + queue + "}:runs";
        }

        static void close(RedisStore<String> store) {
            if (store != null) {
                store.close().block(Duration.ofSeconds(10));
            }
        }
    }

    @Command(name = "enqueue", mixinStandardHelpOptions = true, description = "Add jobs to the queue.")
    static final class Enqueue extends QueueCommand {

        @Option(names = "--count", defaultValue = "100", description = "Jobs to add.")
        int count;

        @Option(names = "--payload-size", defaultValue = "64", description = "Bytes of padding in each job's payload.")
        int payloadSize;

        @Option(names = "--fail-rate", defaultValue = "0", description = "Fraction of the jobs (0 to 1, spread evenly) that fail every attempt, to see retries and dead jobs.")
        double failRate;

        @Override
        protected int run() {
            if (count < 1 || payloadSize < 0 || payloadSize > 1_000_000 || failRate < 0 || failRate > 1) {
                throw new UsageException("--count must be at least 1, --payload-size 0 to 1000000, --fail-rate 0 to 1");
            }
            RedisStore<String> store = connect();
            long started = System.nanoTime();
            AtomicLong added = new AtomicLong();
            long failing = 0;
            try {
                RedisQueue<String> jobs = store.queue(queue);
                String pad = "x".repeat(payloadSize);
                List<String> payloads = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    boolean fails = Math.floor((i + 1) * failRate) > Math.floor(i * failRate);
                    failing += fails ? 1 : 0;
                    payloads.add(payload(i, fails, pad));
                }
                Flux.fromIterable(payloads)
                        .flatMap(jobs::enqueue, 64)
                        .doOnNext(id -> added.incrementAndGet())
                        .takeUntilOther(console.interrupted())
                        .blockLast();
            } finally {
                close(store);
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - started);
            if (json) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("enqueued", added.get());
                summary.put("failing", failing);
                summary.put("queue", queue);
                summary.put("wall_s", wall.toMillis() / 1000.0);
                console.json(summary);
            } else {
                console.out().printf(Locale.ROOT, "enqueued %d jobs to queue %s in %s (%d of them fail every attempt)%n",
                        added.get(), queue, Durations.format(wall), failing);
            }
            return console.isInterrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
        }

        private static String payload(int n, boolean fails, String pad) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("n", n);
            payload.put("fail", fails);
            payload.put("pad", pad);
            try {
                return JSON.writeValueAsString(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "work", mixinStandardHelpOptions = true,
            description = "Work off the queue's jobs until Ctrl-C (or, with --until-done, until no job is left).")
    static final class Work extends QueueCommand {

        @Option(names = {"-c", "--concurrency"}, defaultValue = "4", description = "Jobs worked at once by this worker.")
        int concurrency;

        @Option(names = "--job-time", defaultValue = "100ms", description = "How long one job takes (simulated work).")
        Duration jobTime;

        @Option(names = "--max-attempts", defaultValue = "3", description = "Attempts of a failing job before it is parked with the dead jobs.")
        int maxAttempts;

        @Option(names = "--retry-delay", defaultValue = "1s", description = "Wait before a failed job's first retry (doubling for each next one, at most 1 min).")
        Duration retryDelay;

        @Option(names = "--visibility", defaultValue = "10s", description = "A dead worker's jobs run elsewhere this long after its last heartbeat.")
        Duration visibility;

        @Option(names = "--until-done", description = "Stop when the queue has no unfinished job (waiting, delayed or in progress anywhere).")
        boolean untilDone;

        @Option(names = "--name", description = "This worker's name in 'jobs status' (default: host-pid).")
        String name;

        @Override
        protected int run() {
            if (concurrency < 1 || maxAttempts < 1 || jobTime.isNegative()) {
                throw new UsageException("--concurrency and --max-attempts must be at least 1, --job-time not negative");
            }
            QueueOptions options;
            try {
                options = QueueOptions.builder().maxAttempts(maxAttempts).retryDelay(retryDelay)
                        .maxRetryDelay(retryDelay.compareTo(QueueOptions.DEFAULT_MAX_RETRY_DELAY) > 0 ? retryDelay
                                : QueueOptions.DEFAULT_MAX_RETRY_DELAY)
                        .visibilityTimeout(visibility).pollTimeout(Duration.ofMillis(200)).build();
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            String worker = name != null ? name : defaultName();
            RedisStore<String> store = connect();
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong dead = new AtomicLong();
            Set<Job<String>> held = ConcurrentHashMap.newKeySet();
            long started = System.nanoTime();
            try (Progress progress = Progress.items(showProgress(), "jobs", -1)) {
                RedisQueue<String> jobs = store.queue(queue, options);
                Mono<Void> stop = untilDone
                        ? Flux.interval(Duration.ofMillis(200)).onBackpressureDrop()
                                .concatMap(t -> jobs.unfinished(), 1).filter(n -> n == 0).next().then()
                        : Mono.never();
                // A consumer whose stream ends on a transient Redis failure is replaced by a new one; a job whose
                // own calls failed stays with the old one and runs again after the visibility timeout.
                jobs.consume(worker)
                        .retryWhen(Errors.resubscribing())
                        .doOnNext(held::add)
                        .flatMap(job -> work(store, job, worker, done, failed, dead)
                                .doOnTerminate(() -> held.remove(job))
                                .doOnSuccess(v -> progress.step(1))
                                .onErrorResume(e -> {
                                    console.note("job %s: %s (it runs again after the visibility timeout)", job.id(),
                                            Errors.describe(e));
                                    return Mono.empty();
                                }), concurrency)
                        .takeUntilOther(Mono.firstWithSignal(stop, console.interrupted()))
                        .blockLast();
                // Ctrl-C: what this worker took and did not finish goes back to the queue at once, for the others.
                Flux.fromIterable(List.copyOf(held)).flatMap(Job::release).blockLast(Duration.ofSeconds(10));
            } finally {
                close(store);
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - started);
            double perSecond = done.get() / Math.max(wall.toNanos() / 1e9, 1e-9);
            if (json) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("worker", worker);
                summary.put("done", done.get());
                summary.put("failed_attempts", failed.get());
                summary.put("dead", dead.get());
                summary.put("wall_s", wall.toMillis() / 1000.0);
                console.json(summary);
            } else {
                console.out().printf(Locale.ROOT, "worker %s: %d jobs done, %d failed attempts (%d jobs dead) in %s: %.1f jobs/s%s%n",
                        worker, done.get(), failed.get(), dead.get(), Durations.format(wall), perSecond,
                        console.isInterrupted() ? "; interrupted: its unfinished jobs were given back" : "");
            }
            return console.isInterrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
        }

        /** One job: the simulated work, then its result keyed by its id (idempotent), then the ack; or a failure. */
        private Mono<Void> work(RedisStore<String> store, Job<String> job, String worker, AtomicLong done,
                AtomicLong failed, AtomicLong dead) {
            JsonNode payload;
            try {
                payload = JSON.readTree(job.payload());
            } catch (IOException e) {
                return job.fail("not a JSON payload: " + e.getMessage()).doOnNext(held -> failed.incrementAndGet()).then();
            }
            Mono<Void> simulated = jobTime.isZero() ? Mono.empty() : Mono.delay(jobTime).then();
            if (payload.path("fail").asBoolean()) {
                return simulated.then(job.fail("simulated failure of job " + payload.path("n").asLong() + " (attempt "
                                + job.attempt() + ")"))
                        .doOnNext(held -> {
                            if (held) {
                                failed.incrementAndGet();
                                if (job.attempt() >= maxAttempts) {
                                    dead.incrementAndGet();
                                }
                            }
                        })
                        .then();
            }
            return simulated
                    .then(Mono.defer(() -> store.hset(resultsKey(), job.id(), "{\"worker\":\"" + worker
                            + "\",\"attempt\":" + job.attempt() + ",\"done_at\":\"" + Instant.now() + "\"}")))
                    .then(store.hincrby(runsKey(), job.id(), 1))
                    .then(job.ack())
                    .doOnNext(acked -> {
                        if (acked) {
                            done.incrementAndGet();
                        }
                    })
                    .then();
        }

        private static String defaultName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "worker";
            }
            String clean = host.replaceAll("[^A-Za-z0-9_.-]", "_");
            return clean.substring(0, Math.min(clean.length(), 60)) + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The queue now: waiting, delayed, in progress per worker, done, dead (with their errors).")
    static final class Status extends QueueCommand {

        @Option(names = "--dead-shown", defaultValue = "20", description = "Dead jobs listed at most.")
        int deadShown;

        @Override
        protected int run() {
            RedisStore<String> store = connect();
            try {
                RedisQueue<String> jobs = store.queue(queue);
                QueueStats stats = jobs.stats().block(Duration.ofSeconds(30));
                long results = store.hlen(resultsKey()).block(Duration.ofSeconds(30));
                List<DeadJob<String>> deadJobs = jobs.dead().collectList().block(Duration.ofSeconds(30));
                deadJobs.sort(java.util.Comparator.comparingLong(d -> parseId(d.id())));
                if (json) {
                    Map<String, Object> summary = new LinkedHashMap<>();
                    summary.put("queue", queue);
                    summary.put("waiting", stats.waiting());
                    summary.put("delayed", stats.delayed());
                    summary.put("in_progress", stats.inProgress());
                    summary.put("done", results);
                    summary.put("dead", stats.dead());
                    summary.put("unfinished", stats.unfinished());
                    List<Map<String, Object>> deadList = new ArrayList<>();
                    for (DeadJob<String> d : deadJobs) {
                        deadList.add(Map.of("id", d.id(), "attempts", d.attempts(), "error", d.error()));
                    }
                    summary.put("dead_jobs", deadList);
                    console.json(summary);
                    return ExitCodes.OK;
                }
                Table table = new Table("queue " + queue, "jobs");
                table.row("waiting", stats.waiting());
                table.row("delayed (retry pending)", stats.delayed());
                table.row("in progress", stats.inProgressTotal());
                // Workers that stopped and hold nothing are left out; one that holds jobs without a heartbeat died.
                stats.inProgress().forEach((consumer, n) -> {
                    boolean alive = stats.alive().contains(consumer);
                    if (alive || n > 0) {
                        table.row("  " + consumer + (alive ? "" : " (no heartbeat: its jobs are requeued soon)"), n);
                    }
                });
                table.row("done (results)", results);
                table.row("dead", stats.dead());
                table.print(console.out());
                if (!deadJobs.isEmpty()) {
                    console.out().println();
                    Table dead = new Table(100, "dead job", "attempts", "last error");
                    deadJobs.stream().limit(deadShown).forEach(d -> dead.row(d.id(), d.attempts(), d.error()));
                    dead.print(console.out());
                    if (deadJobs.size() > deadShown) {
                        console.out().printf("... and %d more%n", deadJobs.size() - deadShown);
                    }
                }
                return ExitCodes.OK;
            } finally {
                close(store);
            }
        }

        private static long parseId(String id) {
            try {
                return Long.parseLong(id);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
    }
}
