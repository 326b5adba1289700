package dev.reactivekit.data.redis;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One Redis command as data: what the command groups ({@link RedisStringCommands} and the others) describe once,
 * and what each {@link CommandRunner} runs its own way: the store at once under its policy, a batch when it is
 * sent. A multi-key command is described per key set ({@link #perSlot}), so that on a Redis Cluster it can be sent
 * once per hash slot and the replies combined, as Lettuce's own cluster commands do.
 *
 * @param <V> the store's value type
 * @param <T> the result type ({@code null} from {@link #convert} means an empty result)
 */
final class RedisCall<V, T> {

    final String name;
    final String key;
    final ProtocolKeyword type;
    final CommandArgs<String, V> args;
    final Supplier<CommandOutput<String, V, ?>> output;
    final Function<Object, T> convert;
    final boolean read;
    /** For a multi-key command: its keys, the command for a subset of them, and how the subsets' results add up. */
    final List<String> keys;
    final Function<List<String>, RedisCall<V, T>> forKeys;
    final BiFunction<List<String>, List<T>, T> combine;
    /** A server error that is an answer, not a failure (BUSYGROUP: the group exists), and the result it stands for. */
    final Predicate<Throwable> answers;
    final T answer;

    private RedisCall(String name, String key, ProtocolKeyword type, CommandArgs<String, V> args,
            Supplier<CommandOutput<String, V, ?>> output, Function<Object, T> convert, boolean read,
            List<String> keys, Function<List<String>, RedisCall<V, T>> forKeys,
            BiFunction<List<String>, List<T>, T> combine, Predicate<Throwable> answers, T answer) {
        this.name = name;
        this.key = key;
        this.type = type;
        this.args = args;
        this.output = output;
        this.convert = convert;
        this.read = read;
        this.keys = keys;
        this.forKeys = forKeys;
        this.combine = combine;
        this.answers = answers;
        this.answer = answer;
    }

    /** A command that reads (safe to send again: the policy's retry applies). */
    @SuppressWarnings("unchecked")
    static <V, T> RedisCall<V, T> read(String name, String key, ProtocolKeyword type, CommandArgs<String, V> args,
            Supplier<? extends CommandOutput<String, V, ?>> output, Function<?, T> convert) {
        return new RedisCall<>(name, key, type, args, (Supplier<CommandOutput<String, V, ?>>) output,
                (Function<Object, T>) convert, true, null, null, null, null, null);
    }

    /** A command that writes (never sent twice by the policy). */
    @SuppressWarnings("unchecked")
    static <V, T> RedisCall<V, T> write(String name, String key, ProtocolKeyword type, CommandArgs<String, V> args,
            Supplier<? extends CommandOutput<String, V, ?>> output, Function<?, T> convert) {
        return new RedisCall<>(name, key, type, args, (Supplier<CommandOutput<String, V, ?>>) output,
                (Function<Object, T>) convert, false, null, null, null, null, null);
    }

    /**
     * A command over several keys, {@code forKeys(keys)} for all of them; where keys live in different hash slots
     * of a cluster, {@code forKeys} of each slot's keys, their results combined by {@code combine(keys, results)}.
     */
    static <V, T> RedisCall<V, T> perSlot(List<String> keys, Function<List<String>, RedisCall<V, T>> forKeys,
            BiFunction<List<String>, List<T>, T> combine) {
        RedisCall<V, T> whole = forKeys.apply(keys);
        return new RedisCall<>(whole.name, whole.key, whole.type, whole.args, whole.output, whole.convert, whole.read,
                keys, forKeys, combine, null, null);
    }

    /** This command, with the server errors {@code answers} accepts standing for {@code answer}. */
    RedisCall<V, T> answering(Predicate<Throwable> answers, T answer) {
        return new RedisCall<>(name, key, type, args, output, convert, read, keys, forKeys, combine, answers, answer);
    }

    /** Whether {@code error} (as Lettuce raised it) is an answer of this command rather than a failure. */
    boolean isAnswer(Throwable error) {
        return answers != null && answers.test(error);
    }

    boolean splittable() {
        return forKeys != null && keys.size() > 1;
    }

    /** "Redis GET key" (the key shortened), as the policy and the errors name the command. */
    String operation() {
        return key == null ? "Redis " + name : "Redis " + name + " " + RedisErrorMessages.shorten(key);
    }

    /** This command's result from its raw output ({@code null}: none). */
    T result(Object raw) {
        return convert.apply(raw);
    }
}
