package dev.reactivekit.data.redis;

import static io.lettuce.core.protocol.CommandType.EVAL;
import static io.lettuce.core.protocol.CommandType.EVALSHA;
import static io.lettuce.core.protocol.CommandType.SCRIPT;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.output.BooleanListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Lua scripting: {@code EVAL}, {@code EVALSHA} and the script cache. Part of {@link RedisCommands}. For a script
 * run often, {@link RedisStore#script(String)} sends it once and then only its SHA1 digest. Scripts are writes:
 * the policy never sends one twice.
 *
 * @param <V> the value type
 */
public sealed interface RedisScriptingCommands<V> permits RedisCommands {

    /**
     * {@code EVAL script numkeys key... arg...}: runs {@code script} with {@code KEYS} and {@code ARGV}, its reply read
     * as {@code output} says. Keys go in {@code keys} (a Redis Cluster routes by the first, and all must share its
     * slot). A write.
     */
    default <T> Mono<T> eval(String script, ScriptOutput<T> output, List<String> keys, List<V> args) {
        CommandRunner<V> r = runner();
        return r.write("EVAL", keys.isEmpty() ? null : keys.get(0), EVAL,
                scriptArgs(r, Checks.notNull(script, "script"), keys, args), () -> output.output(r.codec),
                output::result);
    }

    /**
     * {@code EVALSHA sha1 numkeys key... arg...}: as {@link #eval}, naming a script already in the server's cache; fails
     * with a {@link RedisCommandException} of code {@code NOSCRIPT} when the server does not have it. A write.
     */
    default <T> Mono<T> evalsha(String sha1, ScriptOutput<T> output, List<String> keys, List<V> args) {
        CommandRunner<V> r = runner();
        return r.write("EVALSHA", keys.isEmpty() ? null : keys.get(0), EVALSHA,
                scriptArgs(r, Checks.notNull(sha1, "sha1"), keys, args), () -> output.output(r.codec), output::result);
    }

    /** {@code SCRIPT LOAD script}: puts {@code script} in the server's cache; emits its SHA1 digest. A write. */
    default Mono<String> scriptLoad(String script) {
        CommandRunner<V> r = runner();
        return r.write("SCRIPT LOAD", null, SCRIPT, r.none().add(CommandKeyword.LOAD).add(Checks.notNull(script,
                "script")), r.status(), CommandRunner.same());
    }

    /** {@code SCRIPT EXISTS sha1...}: for each digest, whether the server has the script. A read. */
    default Mono<List<Boolean>> scriptExists(String... sha1s) {
        CommandRunner<V> r = runner();
        CommandArgs<String, V> args = r.none().add("EXISTS");
        CommandRunner.checkValues("sha1", sha1s).forEach(args::add);
        return r.read("SCRIPT EXISTS", null, SCRIPT, args, () -> new BooleanListOutput<>(r.codec),
                (List<Boolean> exists) -> List.copyOf(exists));
    }

    private CommandRunner<V> runner() {
        return CommandRunner.of((RedisCommands<V>) this);
    }

    private static <V> CommandArgs<String, V> scriptArgs(CommandRunner<V> r, String script, List<String> keys,
            List<V> args) {
        Checks.notNull(keys, "keys");
        Checks.notNull(args, "args");
        CommandArgs<String, V> command = r.none().add(script).add(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            int index = i;
            Checks.isTrue(keys.get(i) != null, () -> "key " + index + " is null");
            command.addKey(keys.get(i));
        }
        for (int i = 0; i < args.size(); i++) {
            int index = i;
            Checks.isTrue(args.get(i) != null, () -> "arg " + index + " is null");
            command.addValue(args.get(i));
        }
        return command;
    }
}
