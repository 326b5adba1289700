package dev.reactivekit.data.redis;

import dev.reactivekit.core.ConfigurationException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * {@code MULTI}/{@code EXEC} and {@code WATCH} for a {@link RedisStore}, on a dedicated connection: the shared one
 * carries every caller's commands, and a transaction's state (its queue, its watched keys) belongs to the
 * connection, so others' commands would land in it. Lettuce completes each queued command with its share of the
 * {@code EXEC} reply.
 */
final class Transactions<V> {

    private final RedisStore<V> store;
    private final BlockingConnections<V> connections;
    private final boolean cluster;

    Transactions(RedisStore<V> store, BlockingConnections<V> connections, boolean cluster) {
        this.store = store;
        this.connections = connections;
        this.cluster = cluster;
    }

    Mono<List<Object>> multi(Consumer<RedisBatch<V>> commands) {
        return Mono.defer(() -> {
            if (cluster) {
                return Mono.error(unsupported("MULTI"));
            }
            RedisBatch<V> batch = new RedisBatch<>(store, false, "transaction");
            commands.accept(batch);
            if (batch.size() == 0) {
                return Mono.just(List.<Object>of());
            }
            return connections.useConnection("MULTI", null, Duration.ZERO, connection -> exec(connection, batch))
                    .next()
                    .map(exec -> results(batch, exec, List.of()));
        });
    }

    Mono<List<Object>> watch(List<String> keys, Mono<? extends Consumer<RedisBatch<V>>> plan) {
        return Mono.defer(() -> {
            if (cluster) {
                return Mono.error(unsupported("WATCH"));
            }
            RedisBatch<V> batch = new RedisBatch<>(store, false, "transaction");
            return connections.useConnection("WATCH", keys.get(0), Duration.ZERO, connection -> {
                        RedisAsyncCommands<String, V> async = async(connection);
                        return Mono.fromCompletionStage(async.watch(keys.toArray(String[]::new)))
                                .then(plan)
                                .flatMap(commands -> {
                                    commands.accept(batch);
                                    return batch.size() == 0 ? unwatch(async) : exec(connection, batch);
                                })
                                // No plan: nothing to write, nothing to watch any more.
                                .switchIfEmpty(Mono.defer(() -> unwatch(async)));
                    })
                    .next()
                    .map(exec -> results(batch, exec, keys));
        });
    }

    /** MULTI, the batch's commands, EXEC, written in one go; completes with how EXEC went. */
    private Mono<Exec> exec(StatefulConnection<String, V> connection, RedisBatch<V> batch) {
        RedisAsyncCommands<String, V> async = async(connection);
        async.multi();
        connection.dispatch(batch.commands());
        return Mono.fromCompletionStage(async.exec())
                .map(result -> result.wasDiscarded() ? Exec.ABORTED : Exec.DONE)
                // EXECABORT (a command refused while queued): the connection is out of MULTI and fine to keep.
                .onErrorResume(RedisCommandExecutionException.class, e -> Mono.just(new Exec(false, e)));
    }

    private Mono<Exec> unwatch(RedisAsyncCommands<String, V> async) {
        return Mono.fromCompletionStage(async.unwatch()).thenReturn(Exec.DONE);
    }

    private List<Object> results(RedisBatch<V> batch, Exec exec, List<String> watched) {
        if (exec.aborted()) {
            RedisTransactionAbortedException aborted = new RedisTransactionAbortedException(watched);
            batch.failAll(aborted);
            throw aborted;
        }
        Throwable notRun = exec.error == null ? null : store.mapError(exec.error, "EXEC", null);
        return batch.results(store::mapError, notRun);
    }

    @SuppressWarnings("unchecked")
    private static <V> RedisAsyncCommands<String, V> async(StatefulConnection<String, V> connection) {
        return ((StatefulRedisConnection<String, V>) connection).async();
    }

    private ConfigurationException unsupported(String command) {
        return new ConfigurationException("Redis " + command + ": transactions need one server (standalone or"
                + " Sentinel); on a Redis Cluster, use a script (EVAL) over keys of one hash slot instead", null);
    }

    /** How EXEC went: applied, aborted by a watched key, or refused as a whole. */
    private record Exec(boolean aborted, Throwable error) {
        static final Exec DONE = new Exec(false, null);
        static final Exec ABORTED = new Exec(true, null);
    }
}
