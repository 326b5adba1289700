package dev.reactivekit.data.redis;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import java.util.List;
import java.util.function.Function;

/**
 * What a Lua script returns, so that its reply is read as the right Java type: {@link #integer()} ({@code Long}),
 * {@link #bool()} ({@code Boolean}: a Lua {@code true} or 1; {@code false} or nil is {@code false}),
 * {@link #status()} ({@code String}, for {@code redis.status_reply}), {@link #value()} (the store's value type)
 * or {@link #multi()} (a Lua table: a {@code List} of {@code Long}, values, and nested lists).
 *
 * @param <T> the Java type of the reply
 */
public final class ScriptOutput<T> {

    private static final ScriptOutput<Long> INTEGER = new ScriptOutput<>("integer", IntegerOutput::new);
    private static final ScriptOutput<Boolean> BOOLEAN = new ScriptOutput<>("boolean", BooleanOutput::new);
    private static final ScriptOutput<String> STATUS = new ScriptOutput<>("status", StatusOutput::new);
    private static final ScriptOutput<Object> VALUE = new ScriptOutput<>("value", ValueOutput::new);
    private static final ScriptOutput<List<Object>> MULTI = new ScriptOutput<>("multi", NestedMultiOutput::new);

    private final String name;
    private final Function<RedisCodec<String, Object>, CommandOutput<String, Object, ?>> output;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ScriptOutput(String name, Function<RedisCodec, CommandOutput> output) {
        this.name = name;
        this.output = (Function) output;
    }

    /** An integer reply, as {@code Long}. */
    public static ScriptOutput<Long> integer() {
        return INTEGER;
    }

    /** A boolean reply. */
    public static ScriptOutput<Boolean> bool() {
        return BOOLEAN;
    }

    /** A status reply ({@code redis.status_reply('OK')}), as {@code String}. */
    public static ScriptOutput<String> status() {
        return STATUS;
    }

    /** A bulk reply, as the store's value type {@code V} ({@code String} or {@code byte[]}). */
    @SuppressWarnings("unchecked")
    public static <V> ScriptOutput<V> value() {
        return (ScriptOutput<V>) VALUE;
    }

    /** A table, as a {@code List} of {@code Long}, values and nested lists. */
    public static ScriptOutput<List<Object>> multi() {
        return MULTI;
    }

    @SuppressWarnings("unchecked")
    <V> CommandOutput<String, V, ?> output(RedisCodec<String, V> codec) {
        return (CommandOutput<String, V, ?>) (CommandOutput<?, ?, ?>) output.apply((RedisCodec<String, Object>)
                (RedisCodec<?, ?>) codec);
    }

    /** Lettuce's {@code BooleanOutput} answers null for a nil reply; a Lua {@code false} is nil. */
    @SuppressWarnings("unchecked")
    T result(Object raw) {
        if (this == BOOLEAN && raw == null) {
            return (T) Boolean.FALSE;
        }
        return (T) raw;
    }

    @Override
    public String toString() {
        return "ScriptOutput[" + name + "]";
    }
}
