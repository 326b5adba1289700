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

    Job(String id, V payload, RedisQueue<V> queue, String consumer) {
        this.id = id;
        this.payload = payload;
        this.queue = queue;
        this.consumer = consumer;
    }

    /** The job's id, unique within its queue. */
    public String id() {
        return id;
    }

    public V payload() {
        return payload;
    }

    /**
     * Marks the job done and deletes it. Emits {@code true}; {@code false} if this consumer no longer held it
     * (it was requeued after the consumer was presumed dead, and will run again elsewhere).
     */
    public Mono<Boolean> ack() {
        return queue.ack(consumer, id);
    }

    /** Gives the job back: it is the next one taken. Emits whether this consumer still held it. */
    public Mono<Boolean> release() {
        return queue.release(consumer, id);
    }

    @Override
    public String toString() {
        return "Job[" + id + "]";
    }
}
