package dev.reactivekit.data.redis;

import reactor.core.publisher.Mono;

/**
 * A job taken from a {@link RedisQueue} by a consumer. It stays in the consumer's processing list until
 * {@link #ack()} (done: removed for good) or {@link #release()} (put back at the head of the queue); if the
 * consumer dies first, it is put back after the visibility timeout.
 *
 * @param <V> the payload type
 */
public final class Job<V> {

    private final String id;
    private final V payload;
    private final RedisQueue<V> queue;
    private final String consumer;
    private final int attempt;

    Job(String id, V payload, RedisQueue<V> queue, String consumer, int attempt) {
        this.id = id;
        this.payload = payload;
        this.queue = queue;
        this.consumer = consumer;
        this.attempt = attempt;
    }

    /** The job's id, unique within its queue. */
    public String id() {
        return id;
    }

    public V payload() {
        return payload;
    }

    /**
     * Which attempt this is, from 1: one more than the times it was reported failed ({@link #fail}). A run cut
     * short by a consumer's death is not counted: it was not reported.
     */
    public int attempt() {
        return attempt;
    }

    /** The consumer that holds it (as {@link RedisQueue#stats()} names it). */
    public String consumer() {
        return consumer;
    }

    /**
     * Marks the job done and deletes it. Emits {@code true}; {@code false} if this consumer no longer held it
     * (it was requeued after the consumer was presumed dead, and will run again elsewhere).
     */
    public Mono<Boolean> ack() {
        return queue.ack(consumer, id);
    }

    /**
     * Reports this attempt failed with {@code error}: the job runs again after the queue's retry delay (doubling
     * with each failure, {@link QueueOptions#retryDelay()}), or, if this was attempt
     * {@link QueueOptions#maxAttempts()}, is parked with the dead jobs ({@link RedisQueue#dead()}) with that
     * error. Emits whether this consumer still held it (if not, nothing was counted).
     */
    public Mono<Boolean> fail(String error) {
        String reason = error == null || error.isBlank() ? "(no error given)" : error;
        return queue.fail(consumer, id, attempt, reason.length() > 1_000 ? reason.substring(0, 1_000) + "..." : reason);
    }

    /** Gives the job back: it is the next one taken. Emits whether this consumer still held it. */
    public Mono<Boolean> release() {
        return queue.release(consumer, id);
    }

    @Override
    public String toString() {
        return "Job[" + id + ", attempt " + attempt + "]";
    }
}
