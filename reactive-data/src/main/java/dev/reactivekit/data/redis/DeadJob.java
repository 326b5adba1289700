package dev.reactivekit.data.redis;

/**
 * A job of a {@link RedisQueue} parked after its last attempt failed: its id, payload, the attempts it had, and
 * the error its last attempt reported ({@link Job#fail}).
 *
 * @param <V> the payload type
 */
public record DeadJob<V>(String id, V payload, int attempts, String error) {
}
