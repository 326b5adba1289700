package dev.reactivekit.showcase.crawl;

import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.data.redis.Job;
import dev.reactivekit.data.redis.QueueOptions;
import dev.reactivekit.data.redis.RedisQueue;
import dev.reactivekit.data.redis.RedisStore;
import dev.reactivekit.data.redis.SetOptions;
import dev.reactivekit.showcase.cli.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The frontier of a crawl shared by every process through Redis: a reliable {@link RedisQueue} of URLs (a URL
 * taken by a process that dies is handed to another after the visibility timeout), its seen set deciding in one
 * atomic step who queues a URL, a shared page counter for {@code --max-pages}, and a per-host lease
 * ({@code SET NX PX delay}) so every process together keeps one delay per host. The crawl is done when the queue
 * has no unfinished job. Keys: {@code rk:queue:{crawl:ID}:*} and {@code rk:crawl:{crawl:ID}:*}.
 */
final class RedisFrontier implements Frontier {

    /** How often a process looks whether the whole crawl is done. */
    static final Duration DONE_POLL = Duration.ofMillis(200);
    static final Duration VISIBILITY = Duration.ofSeconds(5);
    /**
     * The store retries only reads; the frontier's writes are safe to send again too when Redis drops a connection
     * (a node failing over, a reconnect): a URL queued twice is seen the second time, a lease or ack sent twice is
     * refused the second time, a page counter counted twice ends the crawl one page early. So every call is tried
     * again on a transient failure, for up to about ten seconds (eight attempts, 100 ms doubling to 2 s).
     */
    static final Policy REDIS_RETRY = Policy.builder()
            .retry(RetryPolicy.exponential(Duration.ofMillis(100)).maxAttempts(8).maxDelay(Duration.ofSeconds(2))
                    .retryOn(Errors::worthRetrying))
            .build();

    private final RedisStore<String> redis;
    private final RedisQueue<String> queue;
    private final String keys;
    private final Set<Job<String>> held = ConcurrentHashMap.newKeySet();
    private final AtomicLong queuedNow = new AtomicLong();
    private final int consumers;

    /** {@code concurrency}: the fetches this process runs at once; one queue consumer for every 16 (1 to 4). */
    RedisFrontier(RedisStore<String> redis, String crawlId, Duration visibility, int concurrency) {
        this.redis = redis;
        this.consumers = Math.max(1, Math.min(4, concurrency / 16));
        this.queue = redis.queue("crawl:" + crawlId, QueueOptions.builder().visibilityTimeout(visibility)
                .pollTimeout(Duration.ofMillis(200)).build());
        this.keys = "rk:crawl:{crawl:" + crawlId + "}:";
    }

    /** The crawl's name from its seeds, so processes started on the same seeds join one crawl. */
    static String idFor(List<String> seeds) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", new TreeSet<>(seeds)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Mono<Integer> add(List<Task> tasks) {
        return Flux.fromIterable(tasks)
                .flatMap(task -> retried("enqueue " + task.url(),
                        Mono.defer(() -> queue.enqueueUnique(task.url(), task.depth() + " " + task.url()))), 32)
                .filter(Boolean::booleanValue)
                .count()
                .map(Long::intValue);
    }

    @Override
    public Mono<Void> markSeen(String url) {
        return retried("mark seen " + url, Mono.defer(() -> queue.markSeen(url))).then();
    }

    @Override
    public Flux<Lease> leases() {
        Flux<Long> done = Flux.interval(Duration.ZERO, DONE_POLL)
                .onBackpressureDrop()
                .concatMap(tick -> retried("count unfinished", Mono.defer(() -> Mono.zip(queue.unfinished(), queue.size()))), 1)
                .doOnNext(counts -> queuedNow.set(counts.getT2()))
                .map(counts -> counts.getT1())
                .filter(unfinished -> unfinished == 0);
        // A consumer's stream ends when taking a job fails; on a transient failure a new consumer takes over (the
        // jobs the old one still held are acknowledged as they finish, or requeued once its heartbeat expires).
        // transientErrors: the count starts again after every job taken, so only failures in a row end the crawl.
        // Several consumers: each takes a job in two round trips (BLMOVE, then its payload), one job at a time, so
        // one consumer would bound the whole process to what those round trips allow. Merged with a prefetch of 1,
        // each holds at most one job nobody has asked for yet.
        Flux<Job<String>> jobs = Flux.merge(Flux.range(0, consumers)
                .map(i -> queue.consume().retryWhen(Errors.resubscribing())), consumers, 1);
        return jobs
                .map(job -> {
                    held.add(job);
                    return (Lease) new RedisLease(job);
                })
                .takeUntilOther(done.next());
    }

    private final class RedisLease implements Lease {
        private final Job<String> job;
        private final Task task;

        RedisLease(Job<String> job) {
            this.job = job;
            int space = job.payload().indexOf(' ');
            this.task = new Task(job.payload().substring(space + 1), Integer.parseInt(job.payload().substring(0, space)));
        }

        @Override
        public Task task() {
            return task;
        }

        @Override
        public Mono<Void> done(boolean recorded) {
            return retried("ack " + task.url(), Mono.defer(job::ack))
                    .flatMap(acked -> acked && recorded
                            ? retried("count done", Mono.defer(() -> redis.incr(keys + "done"))).then()
                            : Mono.<Void>empty())
                    .doFinally(s -> held.remove(job));
        }
    }

    @Override
    public Mono<Boolean> claimPage(long maxPages) {
        return retried("claim a page", Mono.defer(() -> redis.incr(keys + "pages"))).map(n -> n <= maxPages);
    }

    @Override
    public Mono<Void> unclaimPage() {
        return retried("give a page back", Mono.defer(() -> redis.decrby(keys + "pages", 1))).then();
    }

    @Override
    public Mono<Void> politeness(String host, Duration delay) {
        if (delay.isZero()) {
            return Mono.empty();
        }
        String key = keys + "host:" + host;
        return retried("lease " + host, Mono.defer(() -> redis.set(key, "1", SetOptions.expireIn(delay).ifAbsent())))
                .flatMap(mine -> mine ? Mono.<Boolean>just(true) : retried("lease wait " + host, Mono.defer(() -> redis.ttl(key)))
                        .map(ttl -> ttl.orElse(Duration.ofMillis(5)))
                        .flatMap(wait -> Mono.delay(wait.isNegative() || wait.isZero() ? Duration.ofMillis(5) : wait))
                        .then(Mono.<Boolean>empty()))
                .repeatWhenEmpty(Integer.MAX_VALUE, attempts -> attempts)
                .then();
    }

    @Override
    public long queued() {
        return queuedNow.get();
    }

    @Override
    public long full() {
        return 0;
    }

    @Override
    public Mono<Long> crawlTotal() {
        return retried("count the crawl", Mono.defer(() -> redis.get(keys + "done"))).map(Long::parseLong).defaultIfEmpty(0L);
    }

    private static <T> Mono<T> retried(String what, Mono<T> call) {
        return REDIS_RETRY.apply("crawl frontier: " + what, call);
    }

    /** Gives the jobs this process holds and did not finish back to the queue, for the others. */
    @Override
    public Mono<Void> close() {
        return Flux.fromIterable(List.copyOf(held)).flatMap(job -> retried("release " + job.id(), Mono.defer(job::release)))
                .then()
                .doFinally(s -> held.clear());
    }
}
