package dev.reactivekit.data.redis;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * Keys: {@code rk:queue:{name}:*} (one hash slot per queue). Each consumer holds one dedicated connection and
 * takes at most one job before its subscriber asks for it.
 *
 * <pre>{@code
 * RedisQueue<String> emails = redis.queue("emails");
 * emails.enqueue("{\"to\":\"ada@example.com\"}").subscribe();
 * emails.consume()
 *       .concatMap(job -> send(job.payload()).then(job.ack()))
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

    /** KEYS: processing list, jobs hash; ARGV: id. Deletes the job only if this consumer still holds it. */
    private static final String ACK = """
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then
              redis.call('HDEL', KEYS[2], ARGV[1])
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

    private final RedisStore<V> store;
    private final String name;
    private final QueueOptions options;
    private final String prefix;
    private final String sequence;
    private final String jobs;
    private final String pending;
    private final String consumers;

    RedisQueue(RedisStore<V> store, String name, QueueOptions options) {
        this.store = store;
        this.name = name;
        this.options = options;
        this.prefix = "rk:queue:{" + name + "}:";
        this.sequence = prefix + "seq";
        this.jobs = prefix + "jobs";
        this.pending = prefix + "pending";
        this.consumers = prefix + "consumers";
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
        if (payload == null) {
            throw new NullPointerException("payload");
        }
        CommandArgs<String, V> args = script(ENQUEUE, sequence, jobs, pending).addValue(payload);
        return this.<Long>eval("enqueue", args).map(String::valueOf);
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
        return Flux.defer(() -> {
            String consumer = UUID.randomUUID().toString();
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
            Flux<Job<V>> taken = store.moveLoop(pending, processing, options.pollTimeout())
                    .concatMap(id -> take(consumer, processing, RedisQueue.idOf(id)), 0);
            return beat(consumer)
                    .then(reap())
                    .thenMany(taken.mergeWith(heartbeat));
        });
    }

    /** Requeues the jobs of consumers whose heartbeat expired; emits how many. Consumers call it themselves. */
    public Mono<Long> requeueAbandoned() {
        return reap();
    }

    Mono<Boolean> ack(String consumer, String id) {
        CommandArgs<String, V> args = script(ACK, prefix + "processing:" + consumer, jobs).add(id);
        return this.<Long>eval("ack", args).map(n -> n > 0);
    }

    Mono<Boolean> release(String consumer, String id) {
        CommandArgs<String, V> args = script(RELEASE, prefix + "processing:" + consumer, pending).add(id);
        return this.<Long>eval("release", args).map(n -> n > 0);
    }

    private Mono<Job<V>> take(String consumer, String processing, String id) {
        return store.hget(jobs, id)
                .map(payload -> new Job<>(id, payload, this, consumer))
                .switchIfEmpty(Mono.defer(() -> {
                    // Only a job deleted by hand lacks its payload: drop it from our processing list.
                    log.warn("queue {}: job {} has no payload; dropping it", name, id);
                    return store.<Long>dispatch("LREM", processing, CommandType.LREM,
                                    new IntegerOutput<>(store.codec()),
                                    new CommandArgs<>(store.codec()).addKey(processing).add(1).add(id))
                            .then(Mono.empty());
                }));
    }

    private Mono<Void> beat(String consumer) {
        CommandArgs<String, V> args = script(BEAT, prefix + "alive:" + consumer, consumers)
                .add(options.visibilityTimeout().toMillis())
                .add(consumer);
        return eval("heartbeat", args).then();
    }

    private Mono<Long> reap() {
        return this.<Long>eval("requeue", script(REAP, consumers, pending).add(prefix))
                .doOnNext(requeued -> {
                    if (requeued > 0) {
                        log.info("queue {}: requeued {} jobs of consumers that stopped", name, requeued);
                    }
                });
    }

    private CommandArgs<String, V> script(String script, String... keys) {
        return new CommandArgs<>(store.codec()).add(script).add(keys.length).addKeys(keys);
    }

    private <T> Mono<T> eval(String operation, CommandArgs<String, V> args) {
        CommandOutput<String, V, ?> output = new IntegerOutput<>(store.codec());
        return store.<T>dispatch("EVAL (queue " + operation + ")", prefix, CommandType.EVAL, output, args).next();
    }

    private static String idOf(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }

    @Override
    public String toString() {
        return "RedisQueue[" + name + ", " + options + "]";
    }
}
