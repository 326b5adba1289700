package dev.reactivekit.data.redis;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.DoubleOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * What runs the commands of {@link RedisCommands}: a {@link RedisStore} sends each at once, under its policy; a
 * {@link RedisBatch} collects them and sends them together. The command groups' methods are written once,
 * against this, with the helpers below for their arguments and replies.
 *
 * @param <V> the value type
 */
abstract class CommandRunner<V> {

    final RedisCodec<String, V> codec;

    CommandRunner(RedisCodec<String, V> codec) {
        this.codec = codec;
    }

    /** Runs {@code call}; its result, or empty where it has none. */
    abstract <T> Mono<T> run(RedisCall<V, T> call);

    /** Whether keys may live on different nodes (a Redis Cluster), so multi-key commands are split by slot. */
    abstract boolean cluster();

    /** The store the commands run against (stream entries acknowledge through it). */
    abstract RedisStore<V> store();

    /** The runner behind a store or a batch, the only implementations of {@link RedisCommands}. */
    static <V> CommandRunner<V> of(RedisCommands<V> commands) {
        if (commands instanceof RedisStore<V> store) {
            return store.runner();
        }
        return ((RedisBatch<V>) commands).runner();
    }

    // ------------------------------------------------------------------------------------ building commands

    <T> Mono<T> read(String name, String key, ProtocolKeyword type, CommandArgs<String, V> args,
            Supplier<? extends CommandOutput<String, V, ?>> output, Function<?, T> convert) {
        return run(RedisCall.read(name, key, type, args, output, convert));
    }

    <T> Mono<T> write(String name, String key, ProtocolKeyword type, CommandArgs<String, V> args,
            Supplier<? extends CommandOutput<String, V, ?>> output, Function<?, T> convert) {
        return run(RedisCall.write(name, key, type, args, output, convert));
    }

    /** Arguments starting with {@code key} (checked). */
    CommandArgs<String, V> key(String key) {
        return new CommandArgs<>(codec).addKey(Checks.notNull(key, "key"));
    }

    /** Arguments starting with {@code keys}, which the caller has checked ({@link #checkKeys}). */
    CommandArgs<String, V> keys(List<String> keys) {
        return new CommandArgs<>(codec).addKeys(keys);
    }

    CommandArgs<String, V> none() {
        return new CommandArgs<>(codec);
    }

    Supplier<ValueOutput<String, V>> value() {
        return () -> new ValueOutput<>(codec);
    }

    Supplier<IntegerOutput<String, V>> integer() {
        return () -> new IntegerOutput<>(codec);
    }

    Supplier<BooleanOutput<String, V>> bool() {
        return () -> new BooleanOutput<>(codec);
    }

    Supplier<StatusOutput<String, V>> status() {
        return () -> new StatusOutput<>(codec);
    }

    Supplier<DoubleOutput<String, V>> number() {
        return () -> new DoubleOutput<>(codec);
    }

    /** The raw reply as it is. */
    static <T> Function<T, T> same() {
        return Function.identity();
    }

    /** Nothing to report but success ({@code OK}). */
    static <T> Function<T, Void> nothing() {
        return raw -> null;
    }

    // -------------------------------------------------------------------------------------- argument checks

    static List<String> checkKeys(String[] keys) {
        Checks.notNull(keys, "keys");
        return checkKeys(List.of(nonNull(keys, "key")));
    }

    static List<String> checkKeys(List<String> keys) {
        Checks.notNull(keys, "keys");
        Checks.isTrue(!keys.isEmpty(), () -> "at least one key is needed");
        return List.copyOf(nonNullList(keys, "key"));
    }

    @SafeVarargs
    static <T> List<T> checkValues(String what, T... values) {
        Checks.notNull(values, what + "s");
        Checks.isTrue(values.length > 0, () -> "at least one " + what + " is needed");
        return List.of(nonNull(values, what));
    }

    private static <T> T[] nonNull(T[] items, String what) {
        nonNullList(Arrays.asList(items), what);
        return items;
    }

    private static <T> List<T> nonNullList(List<T> items, String what) {
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            Checks.isTrue(items.get(i) != null, () -> what + " " + index + " is null");
        }
        return items;
    }
}
