package dev.reactivekit.data.redis;

import dev.reactivekit.core.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A reliable job queue in Redis: no job is lost when a worker dies. Producers {@link #enqueue} payloads; each
 * {@link #consume()} stream is one consumer, which moves jobs atomically ({@code BLMOVE}) from the queue into a
 * processing list of its own and emits them; {@link Job#ack()} deletes a finished job.
 * <p>
 * Every consumer renews a heartbeat key (expiring after the {@link QueueOptions#visibilityTimeout() visibility
 * timeout}) while its stream is subscribed. Consumers look for dead ones, whose heartbeat expired, when they
 * start and at every heartbeat, and put their unacknowledged jobs back at the head of the queue in one atomic
 * step, so each is delivered again exactly once. Cancelling a consumer's stream counts as its death: what it
 * took and did not acknowledge runs again after the visibility timeout. Delivery is therefore at least once:
 * a consumer that stalls longer than the visibility timeout (a long GC pause, a lost network) may see its jobs
 * run elsewhere too, and its late {@link Job#ack()} answers {@code false}.
 * <p>
 * A job whose attempt failed is reported with {@link Job#fail(String)}: it runs again after
 * {@link QueueOptions#retryDelay()} (doubling with each failure, up to {@link QueueOptions#maxRetryDelay()}), and
 * after {@link QueueOptions#maxAttempts()} failed attempts it is parked with the dead jobs, with its last error,
 * where {@link #dead()} lists it. {@link #stats()} counts waiting, delayed, in progress (per consumer) and dead
 * jobs in one atomic read.
 * <p>
 * Keys: {@code rk:queue:{name}:*} (one hash slot per queue). Each consumer holds one dedicated connection and
 * takes a job only when its subscriber has asked for one, with no prefetch: a consumer holds at most as many
 * jobs as its subscriber requested and has not finished, so a slow consumer never starves the others. Mind the
 * operator after {@code consume()}: {@code concatMap(handler)} requests 32 jobs ahead by default, so write
 * {@code concatMap(handler, 0)} for one job at a time, or {@code flatMap(handler, n)} for {@code n} at once.
 *
 * <pre>{@code
 * RedisQueue<String> emails = redis.queue("emails");
 * emails.enqueue("{\"to\":\"ada@example.com\"}").subscribe();
 * emails.consume()
 *       .concatMap(job -> send(job.payload()).then(job.ack()), 0)   // one job at a time, none held ahead
 *       .subscribe();
 * }</pre>
 *
 * @param <V> the payload type
 */
public final class RedisQueue<V> {

    private static final Logger log = LoggerFactory.getLogger(RedisQueue.class);

    /** KEYS: sequence, jobs hash, pending list; ARGV: payload. Stores the payload, then queues its new id. */
    private static final String ENQUEUE = """
            local id = redis.call('INCR', KEYS[1])
            redis.call('HSET', KEYS[2], id, ARGV[1])
            redis.call('LPUSH', KEYS[3], id)
            return id""";

    /**
     * KEYS: seen set, sequence, jobs hash, pending list; ARGV: unique key, payload. Queues the payload only if
     * its unique key was never seen by this queue; 0 when it was.
     */
    private static final String ENQUEUE_UNIQUE = """
            if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
              return 0
            end
            local id = redis.call('INCR', KEYS[2])
            redis.call('HSET', KEYS[3], id, ARGV[2])
            redis.call('LPUSH', KEYS[4], id)
            return id""";

    /** KEYS: processing list, jobs hash, attempts hash; ARGV: id. Deletes the job only if this consumer holds it. */
    private static final String ACK = """
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then
              redis.call('HDEL', KEYS[2], ARGV[1])
              redis.call('HDEL', KEYS[3], ARGV[1])
              return 1
            end
            return 0""";

    /** KEYS: processing list, pending list; ARGV: id. Puts the job back where consumers take from next. */
    private static final String RELEASE = """
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then
              redis.call('RPUSH', KEYS[2], ARGV[1])
              return 1
            end
            return 0""";

    /** KEYS: heartbeat key, consumer set; ARGV: visibility timeout in ms, consumer id. */
    private static final String BEAT = """
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[2])
            return 1""";

    /**
     * KEYS: consumer set, pending list; ARGV: key prefix. For every consumer whose heartbeat expired, moves its
     * processing list to the head of the queue, oldest first, and forgets it. Atomic, so two consumers reaping
     * at once cannot both requeue a job.
     */
    private static final String REAP = """
            local requeued = 0
            for _, consumer in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if redis.call('EXISTS', ARGV[1] .. 'alive:' .. consumer) == 0 then
                local processing = ARGV[1] .. 'processing:' .. consumer
                while redis.call('LMOVE', processing, KEYS[2], 'LEFT', 'RIGHT') do
                  requeued = requeued + 1
                end
                redis.call('SREM', KEYS[1], consumer)
              end
            end
            return requeued""";

    /** KEYS: jobs hash, attempts hash; ARGV: id. The job's failures so far and its payload (absent if deleted). */
    private static final String TAKE = """
            local payload = redis.call('HGET', KEYS[1], ARGV[1])
            local failures = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
            if payload then
              return {failures, payload}
            end
            return {failures}""";

    /**
     * KEYS: processing list, jobs hash, attempts hash, delayed zset, dead hash, dead errors hash; ARGV: id, error,
     * max attempts, now in ms, retry delay in ms, max retry delay in ms. Counts the failure; schedules the job
     * again after the backoff, or parks it with the dead jobs at the last attempt. -1 when this consumer no
     * longer held it, 0 when it is dead, else the failures counted.
     */
    private static final String FAIL = """
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
              return -1
            end
            local failures = redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
            if failures >= tonumber(ARGV[3]) then
              local payload = redis.call('HGET', KEYS[2], ARGV[1])
              redis.call('HDEL', KEYS[2], ARGV[1])
              redis.call('HDEL', KEYS[3], ARGV[1])
              if payload then
                redis.call('HSET', KEYS[5], ARGV[1], payload)
                redis.call('HSET', KEYS[6], ARGV[1], failures .. ' ' .. ARGV[2])
              end
              return 0
            end
            local delay = math.min(tonumber(ARGV[5]) * 2 ^ (failures - 1), tonumber(ARGV[6]))
            redis.call('ZADD', KEYS[4], tonumber(ARGV[4]) + delay, ARGV[1])
            return failures""";

    /** KEYS: delayed zset, pending list; ARGV: now in ms. Queues the failed jobs whose retry is due; emits how many. */
    private static final String PROMOTE = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
            for _, id in ipairs(due) do
              redis.call('ZREM', KEYS[1], id)
              redis.call('LPUSH', KEYS[2], id)
            end
            return #due""";

    /**
     * KEYS: pending list, delayed zset, dead hash, jobs hash, consumer set; ARGV: key prefix. The counts of
     * {@link #stats()}: waiting, delayed, dead, unfinished, then each consumer, the jobs it holds and whether its
     * heartbeat is alive.
     */
    private static final String STATS = """
            local out = {redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('HLEN', KEYS[3]),
                         redis.call('HLEN', KEYS[4])}
            for _, consumer in ipairs(redis.call('SMEMBERS', KEYS[5])) do
              table.insert(out, consumer)
              table.insert(out, redis.call('LLEN', ARGV[1] .. 'processing:' .. consumer))
              table.insert(out, redis.call('EXISTS', ARGV[1] .. 'alive:' .. consumer))
            end
            return out""";

    private final RedisStore<V> store;
    private final RedisScript<V> take;
    private final RedisScript<V> fail;
    private final RedisScript<V> promote;
    private final RedisScript<V> stats;
    private final RedisScript<V> enqueue;
    private final RedisScript<V> enqueueUnique;
    private final RedisScript<V> ack;
    private final RedisScript<V> release;
    private final RedisScript<V> beat;
    private final RedisScript<V> reap;
    private final String name;
    private final QueueOptions options;
    private final String prefix;
    private final String sequence;
    private final String jobs;
    private final String pending;
    private final String consumers;
    private final String seen;
    private final String attempts;
    private final String delayed;
    private final String dead;
    private final String deadErrors;

    RedisQueue(RedisStore<V> store, String name, QueueOptions options) {
        this.store = store;
        this.take = store.script(TAKE);
        this.fail = store.script(FAIL);
        this.promote = store.script(PROMOTE);
        this.stats = store.script(STATS);
        this.enqueue = store.script(ENQUEUE);
        this.enqueueUnique = store.script(ENQUEUE_UNIQUE);
        this.ack = store.script(ACK);
        this.release = store.script(RELEASE);
        this.beat = store.script(BEAT);
        this.reap = store.script(REAP);
        this.name = name;
        this.options = options;
        this.prefix = "rk:queue:{" + name + "}:";
        this.sequence = prefix + "seq";
        this.jobs = prefix + "jobs";
        this.pending = prefix + "pending";
        this.consumers = prefix + "consumers";
        this.seen = prefix + "seen";
        this.attempts = prefix + "attempts";
        this.delayed = prefix + "delayed";
        this.dead = prefix + "dead";
        this.deadErrors = prefix + "dead-errors";
    }

    /** The queue's name. */
    public String name() {
        return name;
    }

    public QueueOptions options() {
        return options;
    }

    /** Adds a job at the tail of the queue; emits its id. */
    public Mono<String> enqueue(V payload) {
        Checks.notNull(payload, "payload");
        return enqueue.run(ScriptOutput.integer(), List.of(sequence, jobs, pending), List.of(payload))
                .map(String::valueOf);
    }

    /**
     * Adds a job unless a job with the same {@code uniqueKey} was ever added this way (or {@link #markSeen marked
     * seen}) to this queue, in one atomic step: among many producers, one wins. Emits whether it was added. The
     * keys are kept, in {@code rk:queue:{name}:seen}, as long as the queue's keys are: a crawler's visited set.
     */
    public Mono<Boolean> enqueueUnique(String uniqueKey, V payload) {
        Checks.notNull(uniqueKey, "uniqueKey");
        Checks.notNull(payload, "payload");
        return enqueueUnique.run(ScriptOutput.integer(), List.of(seen, sequence, jobs, pending),
                List.of(value(uniqueKey), payload)).map(id -> id > 0);
    }

    /** Counts {@code uniqueKey} as added, so {@link #enqueueUnique} refuses it from now on; emits whether it was new. */
    public Mono<Boolean> markSeen(String uniqueKey) {
        Checks.notNull(uniqueKey, "uniqueKey");
        return store.sadd(seen, value(uniqueKey)).map(n -> n > 0);
    }

    /**
     * Jobs added and not yet acknowledged: waiting, being processed, or held by a consumer that died and not yet
     * requeued. Zero once every job ever added is done: the cross-process {@code asyncio.Queue.join()}.
     */
    public Mono<Long> unfinished() {
        return store.hlen(jobs);
    }

    /** Jobs waiting to be taken. */
    public Mono<Long> size() {
        return store.llen(pending);
    }

    /**
     * One consumer: an endless stream of jobs taken from the queue while subscribed. Acknowledge each with
     * {@link Job#ack()}. Before the first job it requeues the jobs of dead consumers; it then keeps its own
     * heartbeat alive and keeps looking for dead consumers every third of the visibility timeout. Heartbeat
     * failures (Redis restarting) are logged and retried at the next beat; a failure to take jobs ends the
     * stream with the error.
     */
    public Flux<Job<V>> consume() {
        return consume(null);
    }

    /**
     * {@link #consume()} as a consumer whose id starts with {@code name} (a worker's host and pid, say), as
     * {@link #stats()} shows it; a random suffix keeps two consumers of one name apart. {@code null}: random only.
     */
    public Flux<Job<V>> consume(String name) {
        Checks.isTrue(name == null || (!name.isBlank() && name.length() <= 100 && !name.contains(":")),
                () -> "a consumer name must be 1 to 100 characters without ':', was '" + name + "'");
        return Flux.defer(() -> {
            // Not UUID.randomUUID(): its SecureRandom may read the OS's entropy, a blocking call, and consume() is
            // often subscribed on an event loop (after another Redis command, say).
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            String suffix = new UUID(random.nextLong(), random.nextLong()).toString();
            String consumer = name == null ? suffix : name + "-" + suffix.substring(0, 8);
            String processing = prefix + "processing:" + consumer;
            Duration period = options.visibilityTimeout().dividedBy(3);
            Flux<Job<V>> heartbeat = Flux.interval(period, period)
                    .onBackpressureDrop()
                    .concatMap(tick -> beat(consumer).then(reap())
                            .onErrorResume(e -> {
                                log.warn("queue {}: heartbeat of consumer {} failed: {}", name, consumer, e.toString());
                                return Mono.empty();
                            }), 0)
                    .thenMany(Flux.empty());
            // Failed jobs whose retry is due go back to the queue: looked for every retry delay (at most a second).
            Duration promotePeriod = options.retryDelay().compareTo(Duration.ofSeconds(1)) < 0
                    ? options.retryDelay().plusMillis(1) : Duration.ofSeconds(1);
            Flux<Job<V>> promoter = Flux.interval(Duration.ZERO, promotePeriod)
                    .onBackpressureDrop()
                    .concatMap(tick -> promoteDue().onErrorResume(e -> {
                        log.warn("queue {}: looking for due retries failed: {}", this.name, e.toString());
                        return Mono.empty();
                    }), 0)
                    .thenMany(Flux.empty());
            Flux<Job<V>> taken = store.moveLoop(pending, processing, options.pollTimeout(),
                    id -> take(consumer, processing, RedisQueue.idOf(id)));
            // The heartbeat lives as long as the consumer, beside it: takeUntilOther passes the subscriber's demand
            // straight to the moves (merging would prefetch, moving jobs nobody asked for yet into this
            // consumer's list), and the heartbeat never emits or ends by itself.
            return beat(consumer)
                    .then(reap())
                    .thenMany(taken.takeUntilOther(Flux.merge(heartbeat, promoter)));
        });
    }

    /** Requeues the jobs of consumers whose heartbeat expired; emits how many. Consumers call it themselves. */
    public Mono<Long> requeueAbandoned() {
        return reap();
    }

    Mono<Boolean> ack(String consumer, String id) {
        return ack.run(ScriptOutput.integer(), List.of(prefix + "processing:" + consumer, jobs, attempts),
                        List.of(value(id)))
                .map(n -> n > 0);
    }

    Mono<Boolean> release(String consumer, String id) {
        return release.run(ScriptOutput.integer(), List.of(prefix + "processing:" + consumer, pending),
                List.of(value(id))).map(n -> n > 0);
    }

    @SuppressWarnings("unchecked")
    private Mono<Job<V>> take(String consumer, String processing, String id) {
        return take.run(ScriptOutput.multi(), List.of(jobs, attempts), List.of(value(id)))
                .flatMap(reply -> {
                    if (reply.size() < 2) {
                        // Only a job deleted by hand lacks its payload: drop it from our processing list.
                        log.warn("queue {}: job {} has no payload; dropping it", name, id);
                        return store.lrem(processing, 1, value(id)).then(Mono.<Job<V>>empty());
                    }
                    int failures = ((Long) reply.get(0)).intValue();
                    return Mono.just(new Job<>(id, (V) reply.get(1), this, consumer, failures + 1));
                });
    }

    Mono<Boolean> fail(String consumer, String id, int attempt, String error) {
        return fail.run(ScriptOutput.integer(), List.of(prefix + "processing:" + consumer, jobs, attempts, delayed, dead,
                        deadErrors),
                        List.of(value(id), value(error), value(String.valueOf(options.maxAttempts())),
                                value(String.valueOf(System.currentTimeMillis())),
                                value(String.valueOf(options.retryDelay().toMillis())),
                                value(String.valueOf(options.maxRetryDelay().toMillis()))))
                .map(outcome -> {
                    if (outcome == 0) {
                        log.warn("queue {}: job {} failed its attempt {} of {}, parked with the dead jobs: {}", name, id,
                                attempt, options.maxAttempts(), error);
                    }
                    return outcome >= 0;
                });
    }

    /** Queues the failed jobs whose retry delay has passed; emits how many. Consumers call it themselves. */
    public Mono<Long> promoteDue() {
        return promote.run(ScriptOutput.integer(), List.of(delayed, pending),
                List.of(value(String.valueOf(System.currentTimeMillis()))));
    }

    /**
     * The jobs parked after their last attempt failed ({@link QueueOptions#maxAttempts()}), with the error of that
     * attempt; in no particular order. They stay until {@link #deleteDead()}.
     */
    public Flux<DeadJob<V>> dead() {
        return store.hgetall(deadErrors).flatMapMany(errors -> store.hgetall(dead).flatMapMany(payloads ->
                Flux.fromIterable(payloads.entrySet()).map(entry -> {
                    V record = errors.get(entry.getKey());
                    String text = record == null ? "0 (no error recorded)" : RedisQueue.idOf(record);
                    int space = text.indexOf(' ');
                    int failures = space > 0 ? parseIntOr(text.substring(0, space), 0) : 0;
                    return new DeadJob<>(entry.getKey(), entry.getValue(), failures, space > 0 ? text.substring(space + 1) : text);
                })));
    }

    /** Deletes every dead job; emits how many there were. */
    public Mono<Long> deleteDead() {
        return store.hlen(dead).flatMap(n -> store.del(dead, deadErrors).thenReturn(n));
    }

    /** Waiting, delayed (failed, waiting for their retry), in progress per consumer, dead, and unfinished jobs. */
    public Mono<QueueStats> stats() {
        return stats.run(ScriptOutput.multi(), List.of(pending, delayed, dead, jobs, consumers), List.of(value(prefix)))
                .map(reply -> {
                    java.util.Map<String, Long> inProgress = new java.util.TreeMap<>();
                    java.util.Set<String> alive = new java.util.TreeSet<>();
                    for (int i = 4; i + 2 < reply.size(); i += 3) {
                        String consumer = RedisQueue.idOf(reply.get(i));
                        inProgress.put(consumer, (Long) reply.get(i + 1));
                        if ((Long) reply.get(i + 2) == 1L) {
                            alive.add(consumer);
                        }
                    }
                    return new QueueStats((Long) reply.get(0), (Long) reply.get(1), inProgress, alive, (Long) reply.get(2),
                            (Long) reply.get(3));
                });
    }

    private static int parseIntOr(String text, int fallback) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Mono<Void> beat(String consumer) {
        return beat.run(ScriptOutput.integer(), List.of(prefix + "alive:" + consumer, consumers),
                List.of(value(String.valueOf(options.visibilityTimeout().toMillis())), value(consumer))).then();
    }

    private Mono<Long> reap() {
        return reap.run(ScriptOutput.integer(), List.of(consumers, pending), List.of(value(prefix)))
                .doOnNext(requeued -> {
                    if (requeued > 0) {
                        log.info("queue {}: requeued {} jobs of consumers that stopped", name, requeued);
                    }
                });
    }

    /** A script argument or list element as the store's value type (ids and names are UTF-8 text). */
    private V value(String text) {
        return store.codec().decodeValue(StandardCharsets.UTF_8.encode(text));
    }

    private static String idOf(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }

    @Override
    public String toString() {
        return "RedisQueue[" + name + ", " + options + "]";
    }
}
