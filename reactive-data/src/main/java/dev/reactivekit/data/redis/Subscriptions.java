package dev.reactivekit.data.redis;

import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.LimitExceededException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * The pub/sub side of a {@link RedisStore}: each subscription on a connection of its own, its messages handed
 * to the subscriber on {@link RedisOptions#subscriberScheduler()} through a bounded buffer, a reconnect reported
 * as a {@link PubSubEvent.Gap}.
 */
final class Subscriptions<V> {

    /** Messages handed to the subscriber's scheduler at a time, at most (a quarter of the subscriber buffer). */
    static final int HAND_OFF = 256;

    private final Connections<V> connections;
    private final RedisStore<V> store;
    /**
     * The subscriptions' connections not yet closed, each closed once: by its subscription's end, or by
     * {@link #closeAll()} when the store closes (Lettuce warns "Connection is already closed" of a second close).
     */
    private final Set<StatefulRedisPubSubConnection<String, V>> open = ConcurrentHashMap.newKeySet();
    /** How each running subscription is ended when the store closes: with a {@link ClientClosedException}. */
    private final Map<StatefulRedisPubSubConnection<String, V>, Runnable> ends = new ConcurrentHashMap<>();
    /** Closes begun and not yet done: the store's close waits for them before its client shuts down. */
    private final Set<CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet();

    Subscriptions(Connections<V> connections, RedisStore<V> store) {
        this.connections = connections;
        this.store = store;
    }

    Flux<PubSubEvent<V>> listen(boolean patterns, String[] names) {
        CommandRunner.checkKeys(names);
        String command = patterns ? "PSUBSCRIBE" : "SUBSCRIBE";
        String key = String.join(" ", names);
        int buffer = connections.options.subscriberBuffer();
        // The hand-off to the subscriber's scheduler holds some of the buffer: together exactly subscriberBuffer.
        int handOff = Math.min(HAND_OFF, Math.max(1, buffer / 4));
        return Flux.usingWhen(
                Mono.defer(() -> {
                    var connecting = connections.connectPubSub();
                    return Mono.<StatefulRedisPubSubConnection<String, V>>fromCompletionStage(connecting)
                            .doOnNext(open::add)
                            // Cancelled while connecting: the connection may still arrive; close it then.
                            .doOnCancel(() -> connecting.thenAccept(StatefulRedisPubSubConnection::closeAsync));
                }).onErrorMap(e -> store.mapError(e, command, key)),
                connection -> Flux.<PubSubEvent<V>>create(sink -> {
                    Listener<V> listener = new Listener<>(sink, patterns);
                    connection.addListener(listener);
                    ends.put(connection, () -> sink.error(store.closedError(command, key)));
                    sink.onDispose(() -> {
                        ends.remove(connection);
                        connection.removeListener(listener);
                    });
                    var subscribed = patterns ? connection.async().psubscribe(names)
                            : connection.async().subscribe(names);
                    subscribed.whenComplete((ok, error) -> {
                        if (error != null) {
                            sink.error(store.mapError(error, command, key));
                        }
                    });
                }, FluxSink.OverflowStrategy.IGNORE)
                        .onBackpressureBuffer(buffer - handOff, dropped -> { }, BufferOverflowStrategy.ERROR)
                        // Off the event loop, which the store's commands share: a slow subscriber then delays only
                        // itself. publishOn keeps the order in which Redis delivered the messages.
                        .publishOn(connections.options.subscriberScheduler(), handOff)
                        .onErrorMap(Exceptions::isOverflow, e -> new LimitExceededException("Redis " + command
                                + " " + RedisErrorMessages.shorten(key) + ": the subscriber fell more than " + buffer
                                + " messages behind (subscriberBuffer)", "subscriberBuffer", buffer)),
                this::close,
                (connection, error) -> close(connection),
                this::close);
    }

    /** Closes the subscription's connection, unless {@link #closeAll()} has already. */
    private Mono<Void> close(StatefulRedisPubSubConnection<String, V> connection) {
        return Mono.defer(() -> {
            if (!open.remove(connection)) {
                return Mono.empty();
            }
            CompletableFuture<Void> closed = connection.closeAsync();
            closing.add(closed);
            closed.whenComplete((ok, error) -> closing.remove(closed));
            return Mono.fromCompletionStage(closed).onErrorResume(e -> Mono.empty()).then();
        });
    }

    /**
     * For the store's close: ends every running subscription with a {@link ClientClosedException}, closes
     * every subscription's connection, and completes once every close begun (also by cancelled subscriptions) is
     * done.
     */
    Mono<Void> closeAll() {
        return Flux.fromIterable(List.copyOf(open)).flatMap(connection -> {
            Runnable end = ends.remove(connection);
            if (end != null) {
                end.run();
            }
            return close(connection);
        }).then(Mono.defer(() -> Mono.fromCompletionStage(
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))))
                .onErrorResume(e -> Mono.empty()));
    }

    /** Forwards messages to the sink; a second confirmation of the same subscription means a reconnect. */
    private static final class Listener<V> extends RedisPubSubAdapter<String, V> {

        private final FluxSink<PubSubEvent<V>> sink;
        private final boolean patterns;
        private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

        Listener(FluxSink<PubSubEvent<V>> sink, boolean patterns) {
            this.sink = sink;
            this.patterns = patterns;
        }

        @Override
        public void message(String channel, V message) {
            if (!patterns) {
                sink.next(new PubSubEvent.Message<>(channel, null, message));
            }
        }

        @Override
        public void message(String pattern, String channel, V message) {
            if (patterns) {
                sink.next(new PubSubEvent.Message<>(channel, pattern, message));
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            if (!patterns) {
                confirm(channel);
            }
        }

        @Override
        public void psubscribed(String pattern, long count) {
            if (patterns) {
                confirm(pattern);
            }
        }

        private void confirm(String name) {
            if (!confirmed.add(name)) {
                sink.next(new PubSubEvent.Gap<>(name, Instant.now()));
            }
        }
    }
}
