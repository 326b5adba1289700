package dev.reactivekit.data.redis;

import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.sync.AsyncSemaphore;
import dev.reactivekit.core.sync.Permit;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Dedicated connections for blocking commands ({@code BRPOP}, {@code BLMOVE}, {@code XREADGROUP BLOCK}): a
 * blocked connection answers nothing else until its wait ends, so these never run on the shared connection.
 * At most {@code maxBlockingConnections} exist; a caller waits up to {@code commandTimeout} for one, then fails
 * with a {@link PoolTimeoutException}, and at most {@link AsyncSemaphore#DEFAULT_MAX_WAITERS} callers wait (more
 * fail at once with a {@link dev.reactivekit.core.sync.TooManyWaitersException}), both naming the setting. A connection goes back to the pool only after its command ended normally (or
 * with a server error reply); after a cancel, timeout or connection error it is closed, because a reply may
 * still be on its way and would otherwise answer the next command.
 */
final class BlockingConnections<V> {

    private static final Logger log = LoggerFactory.getLogger(BlockingConnections.class);

    private final Connections<V> connections;
    private final String store;
    private final AsyncSemaphore permits;
    private final Duration maxWait;
    private final Queue<StatefulConnection<String, V>> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inUse = new AtomicInteger();
    private volatile boolean closed;

    BlockingConnections(Connections<V> connections, String store) {
        this.connections = connections;
        this.store = store;
        int max = connections.options.maxBlockingConnections();
        this.maxWait = connections.options.commandTimeout();
        this.permits = AsyncSemaphore.builder(max).maxWait(maxWait)
                .name(store + ": connections for blocking commands (maxBlockingConnections " + max + ")").build();
    }

    /**
     * Runs {@code body} on a dedicated connection held until the returned stream ends or is cancelled. Each
     * command {@code body} sends may take {@code wait} (its own blocking time) plus the command timeout, then
     * fails with a timeout.
     */
    <T> Flux<T> use(String command, String key, Duration wait,
            Function<RedisClusterReactiveCommands<String, V>, Publisher<T>> body) {
        return useConnection(command, key, wait, connection -> body.apply(Connections.reactive(connection)));
    }

    /** As {@link #use}, handing {@code body} the connection itself. */
    <T> Flux<T> useConnection(String command, String key, Duration wait,
            Function<StatefulConnection<String, V>, Publisher<T>> body) {
        Duration limit = wait.plus(connections.options.commandTimeout());
        return Flux.usingWhen(acquire(command, key),
                lease -> {
                    lease.connection.setTimeout(limit);
                    return body.apply(lease.connection);
                },
                lease -> lease.release(true),
                (lease, error) -> lease.release(error instanceof RedisCommandExecutionException),
                lease -> lease.release(false));
    }

    int inUse() {
        return inUse.get();
    }

    int idle() {
        return idle.size();
    }

    int waiting() {
        return permits.waiting();
    }

    /** Closes the idle connections; those in use are closed when their command ends. */
    void close() {
        closed = true;
        StatefulConnection<String, V> connection;
        while ((connection = idle.poll()) != null) {
            connection.closeAsync();
        }
    }

    private Mono<Lease> acquire(String command, String key) {
        return permits.acquire()
                .onErrorMap(PoolTimeoutException.class, e -> new PoolTimeoutException(RedisErrorMessages.describe(
                        command, key, e.getMessage()), e.poolSize(), e.waited(), e))
                .flatMap(permit -> connection(command, key)
                        .map(connection -> new Lease(permit, connection))
                        .doOnError(e -> permit.release())
                        .doOnCancel(permit::release));
    }

    private Mono<StatefulConnection<String, V>> connection(String command, String key) {
        if (closed) {
            return Mono.error(new ClientClosedException(store, key == null ? command
                    : command + " " + RedisErrorMessages.shorten(key)));
        }
        StatefulConnection<String, V> connection;
        while ((connection = idle.poll()) != null) {
            if (connection.isOpen()) {
                return Mono.just(connection);
            }
            connection.closeAsync();
        }
        return Mono.defer(() -> {
            var future = connections.connect(true);
            return Mono.<StatefulConnection<String, V>>fromCompletionStage(future)
                    // Cancelled while connecting: the connection may still arrive; close it then.
                    .doOnCancel(() -> future.thenAccept(StatefulConnection::closeAsync))
                    .onErrorMap(e -> RedisErrors.map(e, command, key, maxWait, 0));
        });
    }

    private final class Lease {

        final Permit permit;
        final StatefulConnection<String, V> connection;

        Lease(Permit permit, StatefulConnection<String, V> connection) {
            this.permit = permit;
            this.connection = connection;
            inUse.incrementAndGet();
        }

        Mono<Void> release(boolean reusable) {
            inUse.decrementAndGet();
            if (reusable && !closed && connection.isOpen()) {
                idle.offer(connection);
            } else {
                connection.closeAsync().whenComplete((ok, error) -> {
                    if (error != null) {
                        log.debug("closing a blocking Redis connection failed", error);
                    }
                });
            }
            permit.release();
            return Mono.empty();
        }
    }
}
