package dev.reactivekit.data.redis;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.SetArgs;
import java.time.Duration;

/**
 * Options of {@link RedisStore#set(String, Object, SetOptions)}: expiry ({@code PX}) and the condition ({@code NX}:
 * only if absent; {@code XX}: only if present). Immutable.
 *
 * <pre>{@code
 * redis.set("session:42", token, SetOptions.expireIn(Duration.ofMinutes(30)).ifAbsent())
 * }</pre>
 */
public final class SetOptions {

    private enum Condition { ALWAYS, IF_ABSENT, IF_PRESENT }

    private static final SetOptions ALWAYS = new SetOptions(null, Condition.ALWAYS);

    private final Duration expireIn;
    private final Condition condition;

    private SetOptions(Duration expireIn, Condition condition) {
        this.expireIn = expireIn;
        this.condition = condition;
    }

    /** No expiry, no condition: a plain {@code SET}. */
    public static SetOptions none() {
        return ALWAYS;
    }

    /** Expires the key after {@code ttl} (millisecond precision; redis.asyncio's {@code ex=}/{@code px=}). */
    public static SetOptions expireIn(Duration ttl) {
        Checks.positive(ttl, "ttl");
        Checks.isTrue(ttl.toMillis() > 0, () -> "ttl must be at least 1 ms, was " + ttl);
        return new SetOptions(ttl, Condition.ALWAYS);
    }

    /** Sets only if the key does not exist ({@code NX}). */
    public SetOptions ifAbsent() {
        return new SetOptions(expireIn, Condition.IF_ABSENT);
    }

    /** Sets only if the key exists ({@code XX}). */
    public SetOptions ifPresent() {
        return new SetOptions(expireIn, Condition.IF_PRESENT);
    }

    /** The expiry, or {@code null} for none. */
    public Duration expiry() {
        return expireIn;
    }

    /** Whether the write is conditional, so {@code set} may answer {@code false}. */
    public boolean conditional() {
        return condition != Condition.ALWAYS;
    }

    SetArgs toArgs() {
        SetArgs args = new SetArgs();
        if (expireIn != null) {
            args.px(expireIn.toMillis());
        }
        if (condition == Condition.IF_ABSENT) {
            args.nx();
        } else if (condition == Condition.IF_PRESENT) {
            args.xx();
        }
        return args;
    }

    @Override
    public String toString() {
        return "SetOptions[expireIn=" + expireIn + ", condition=" + condition + "]";
    }
}
