package dev.reactivekit.data.redis;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * An entry read from a Redis Stream by a consumer group ({@link RedisStore#readGroup}). It stays pending in the
 * group until {@link #ack()}ed; entries of a consumer that died can be claimed by another.
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

    /** Acknowledges this entry in its group ({@code XACK}); emits whether it was still pending. */
    public Mono<Boolean> ack() {
        return store.xack(stream, group, id).map(n -> n > 0);
    }

    @Override
    public String toString() {
        return "StreamEntry[" + stream + " " + id + " " + fields.keySet() + "]";
    }
}
