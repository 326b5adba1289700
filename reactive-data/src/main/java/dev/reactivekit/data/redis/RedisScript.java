package dev.reactivekit.data.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A Lua script run by its digest: {@code EVALSHA} first, and only when the server does not have it yet
 * ({@code NOSCRIPT}: first use, a restart, {@code SCRIPT FLUSH}) {@code EVAL} with the whole source, which also
 * puts it in the server's cache. So a script run often is sent once, then only its 40-character digest
 * (redis.asyncio's {@code register_script}). Immutable and cheap; make one per script and keep it.
 *
 * <pre>{@code
 * RedisScript<String> takeToken = redis.script("""
 *         local n = tonumber(redis.call('GET', KEYS[1]) or '0')
 *         if n > 0 then redis.call('DECR', KEYS[1]) return 1 end
 *         return 0""");
 * takeToken.run(ScriptOutput.integer(), List.of("tokens:api"), List.of())   // Mono<Long>
 * }</pre>
 *
 * @param <V> the value type
 */
public final class RedisScript<V> {

    private final RedisStore<V> store;
    private final String source;
    private final String sha1;

    RedisScript(RedisStore<V> store, String source) {
        this.store = store;
        this.source = source;
        this.sha1 = sha1(source);
    }

    /** The script's source. */
    public String source() {
        return source;
    }

    /** Its SHA1 digest, lower-case hex, as Redis names it. */
    public String sha1() {
        return sha1;
    }

    /**
     * Runs the script with {@code keys} and {@code args}, its reply read as {@code output}; see
     * {@link RedisScriptingCommands#eval}. A write: never sent twice, except as {@code EVAL} after a
     * {@code NOSCRIPT}, which means it did not run.
     */
    public <T> Mono<T> run(ScriptOutput<T> output, List<String> keys, List<V> args) {
        return store.evalsha(sha1, output, keys, args)
                .onErrorResume(RedisScript::notCached, e -> store.eval(source, output, keys, args));
    }

    private static boolean notCached(Throwable error) {
        return error instanceof RedisCommandException refused && "NOSCRIPT".equals(refused.errorCode());
    }

    static String sha1(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "RedisScript[" + sha1 + "]";
    }
}
