package dev.reactivekit.data.redis;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * An entry of a Redis Stream. One read by a consumer group ({@link RedisStore#readGroup},
 * {@link RedisStreamCommands#xreadgroup}, or claimed with {@link RedisStreamCommands#xclaim} or
 * {@link RedisStreamCommands#xautoclaim}) stays pending in its group until {@link #ack()}ed; one a consumer held
 * when it died is claimed by another.
 *
 * @param <V> the field value type
 */
public final class StreamEntry<V> {

    private final String stream;
    private final String id;
    private final Map<String, V> fields;
    private final RedisStore<V> store;
    private final String group;

    StreamEntry(String stream, String id, Map<String, V> fields, RedisStore<V> store, String group) {
        this.stream = stream;
        this.id = id;
        this.fields = Map.copyOf(fields);
        this.store = store;
        this.group = group;
    }

    public String stream() {
        return stream;
    }

    /** The entry id, for example {@code "1700000000000-0"}. */
    public String id() {
        return id;
    }

    public Map<String, V> fields() {
        return fields;
    }

    /** The consumer group it was read or claimed for; {@code null} for an entry read without one ({@code XRANGE}). */
    public String group() {
        return group;
    }

    /**
     * Acknowledges this entry in its group ({@code XACK}); emits whether it was still pending.
     *
     * @throws IllegalStateException (at once) for an entry read without a group
     */
    public Mono<Boolean> ack() {
        if (group == null) {
            throw new IllegalStateException(this + " was read without a consumer group: there is nothing to ack");
        }
        return store.xack(stream, group, id).map(n -> n > 0);
    }

    @Override
    public String toString() {
        return "StreamEntry[" + stream + " " + id + " " + fields.keySet() + "]";
    }
}
