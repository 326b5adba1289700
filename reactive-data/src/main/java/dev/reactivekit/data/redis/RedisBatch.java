package dev.reactivekit.data.redis;

import dev.reactivekit.core.internal.Checks;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * The commands of one {@link RedisStore#pipeline pipeline} or transaction ({@link RedisStore#multi},
 * {@link RedisStore#watch}), collected while its function runs and then sent in one write. It offers exactly the
 * commands of {@link RedisCommands}, with the store's signatures: each method adds its command when called and
 * returns a {@code Mono} that emits the command's own result once the batch has been answered (subscribing to it
 * is optional). The batch's result list holds one entry per command, in order, as each command's {@code Mono}
 * would emit it, {@code null} where it would be empty. Not thread-safe: use it only inside the function.
 *
 * <pre>{@code
 * redis.pipeline(batch -> users.forEach((id, name) -> batch.set("user:" + id, name)))
 * }</pre>
 *
 * @param <V> the value type
 */
public final class RedisBatch<V> implements RedisCommands<V> {

    /** Commands one batch may hold: beyond it, split the work into several batches. */
    public static final int MAX_COMMANDS = 100_000;

    private final Runner runner;
    private final String kind;
    private final List<Entry<?>> entries = new ArrayList<>();

    /** @param kind what the batch is, for error messages: "pipeline" or "transaction" */
    RedisBatch(RedisStore<V> store, boolean cluster, String kind) {
        this.runner = new Runner(store, cluster);
        this.kind = kind;
    }

    /** Commands added so far. */
    public int size() {
        return entries.size();
    }

    CommandRunner<V> runner() {
        return runner;
    }

    /** Every command's Lettuce command, in order, as they are to be written. */
    List<RedisCommand<String, V, ?>> commands() {
        List<RedisCommand<String, V, ?>> commands = new ArrayList<>(entries.size());
        entries.forEach(entry -> commands.addAll(entry.parts));
        return commands;
    }

    /**
     * Writes every command at once on {@code connection} and emits the results in order, failing with the first
     * command's failure (each command's own {@code Mono} still has its own result or error).
     */
    Mono<List<Object>> run(StatefulConnection<String, V> connection, ErrorMapper mapper) {
        if (entries.isEmpty()) {
            return Mono.just(List.of());
        }
        List<RedisCommand<String, V, ?>> commands = commands();
        connection.dispatch(commands);
        return settled(commands).map(done -> results(mapper, null));
    }

    /**
     * Completes once every command of the batch has its reply; a cancel before that cancels them all (their replies
     * are dropped when they arrive).
     */
    Mono<Boolean> settled(List<RedisCommand<String, V, ?>> commands) {
        CompletableFuture<?>[] futures = commands.stream().map(c -> (CompletableFuture<?>) c)
                .toArray(CompletableFuture<?>[]::new);
        AtomicBoolean cancelled = new AtomicBoolean();
        return Mono.fromFuture(CompletableFuture.allOf(futures).handle((ok, error) -> Boolean.TRUE), true)
                // The completion may still arrive after a cancel: nobody wants the results (or their errors) then.
                .filter(done -> !cancelled.get())
                .doOnCancel(() -> {
                    cancelled.set(true);
                    commands.forEach(command -> command.cancel());
                });
    }

    /**
     * Hands each command its result (or its error) and lists the results in order; the first failure, in order,
     * fails the list, named with the command's place in the batch. A command without a reply yet (in a transaction
     * that was aborted) fails with {@code notRun}.
     */
    List<Object> results(ErrorMapper mapper, Throwable notRun) {
        List<Object> results = new ArrayList<>(entries.size());
        Throwable first = null;
        for (int i = 0; i < entries.size(); i++) {
            Entry<?> entry = entries.get(i);
            String name = entry.call.name + " (" + (i + 1) + " of " + entries.size() + " in a " + kind + ")";
            Throwable failure = entry.settle(error -> mapper.map(error, name, entry.call.key), notRun);
            if (failure != null && first == null) {
                first = failure;
            }
            results.add(failure == null ? entry.result.getNow(null) : null);
        }
        if (first != null) {
            throw reactor.core.Exceptions.propagate(first);
        }
        return Collections.unmodifiableList(results);
    }

    /** Fails every command's own result with {@code error} (a batch that could not be sent or was aborted). */
    void failAll(Throwable error) {
        entries.forEach(entry -> entry.result.completeExceptionally(error));
    }

    /** Maps a failure of one command to ReactiveKit's error for it. */
    @FunctionalInterface
    interface ErrorMapper {
        Throwable map(Throwable error, String command, String key);
    }

    /** Adds commands instead of sending them. */
    private final class Runner extends CommandRunner<V> {

        private final RedisStore<V> store;
        private final boolean cluster;

        Runner(RedisStore<V> store, boolean cluster) {
            super(store.runner().codec);
            this.store = store;
            this.cluster = cluster;
        }

        @Override
        <T> Mono<T> run(RedisCall<V, T> call) {
            Checks.isTrue(entries.size() < MAX_COMMANDS,
                    () -> "a batch holds at most " + MAX_COMMANDS + " commands; split the work");
            List<RedisCall<V, T>> calls = new ArrayList<>();
            if (call.splittable() && cluster) {
                for (Map.Entry<Integer, List<String>> slot : SlotHash.partition(codec, call.keys).entrySet()) {
                    calls.add(call.forKeys.apply(slot.getValue()));
                }
            } else {
                calls.add(call);
            }
            Entry<T> entry = new Entry<>(call, calls);
            entries.add(entry);
            return Mono.fromFuture(entry.result, true);
        }

        @Override
        boolean cluster() {
            return cluster;
        }

        @Override
        RedisStore<V> store() {
            return store;
        }
    }

    /** One command as the caller added it: one Lettuce command, or one per hash slot of its keys. */
    private final class Entry<T> {

        final RedisCall<V, T> call;
        final List<RedisCall<V, T>> calls;
        final List<AsyncCommand<String, V, Object>> parts = new ArrayList<>();
        final CompletableFuture<T> result = new CompletableFuture<>();

        @SuppressWarnings("unchecked")
        Entry(RedisCall<V, T> call, List<RedisCall<V, T>> calls) {
            this.call = call;
            this.calls = calls;
            for (RedisCall<V, T> part : calls) {
                parts.add(new AsyncCommand<>(new Command<>(part.type,
                        (io.lettuce.core.output.CommandOutput<String, V, Object>) part.output.get(), part.args)));
            }
        }

        /** Completes {@link #result} from the replies; returns the failure, mapped, or {@code null}. */
        Throwable settle(java.util.function.Function<Throwable, Throwable> map, Throwable notRun) {
            List<T> values = new ArrayList<>(parts.size());
            for (int i = 0; i < parts.size(); i++) {
                AsyncCommand<String, V, Object> part = parts.get(i);
                RedisCall<V, T> partCall = calls.get(i);
                if (!part.isDone()) {
                    part.cancel(true);
                    Throwable failure = notRun == null
                            ? new IllegalStateException("Redis " + call.name + ": no reply in the " + kind) : notRun;
                    result.completeExceptionally(failure);
                    return failure;
                }
                Object raw;
                try {
                    raw = part.join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    if (call.isAnswer(cause)) {
                        values.add(call.answer);
                        continue;
                    }
                    Throwable mapped = map.apply(cause);
                    result.completeExceptionally(mapped);
                    return mapped;
                }
                try {
                    values.add(partCall.result(raw));
                } catch (RuntimeException e) {
                    // A reply of a shape the command does not read: this command fails, the others keep theirs.
                    result.completeExceptionally(e);
                    return e;
                }
            }
            result.complete(values.size() == 1 && calls.size() == 1 ? values.get(0)
                    : call.combine.apply(call.keys, values));
            return null;
        }
    }
}
