package dev.reactivekit.io.http;

import io.netty.resolver.AddressResolverGroup;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * Reactor Netty's pooled provider, telling each request when the pool acquires made for it have ended.
 * <p>
 * Why: Reactor Netty subscribes to a pool's acquire without a way to cancel it, so a request cancelled while it
 * waits for a connection keeps its place in the pool's pending queue until a connection frees up (then the
 * connection goes straight back). If the request's own connection permits were given back at the cancel, new
 * requests would take them and pile up behind those leftovers: 10,000 cancelled requests filled the queue.
 * (Cancelling the leftover acquire instead races with Reactor Netty handing over the connection, which then
 * sends the request for nobody and leaks its response.) So a cancelled request keeps its permits until the
 * {@link Acquires} in its context say the pool is done with it.
 */
final class TrackedAcquire implements ConnectionProvider {

    private final ConnectionProvider pooled;

    TrackedAcquire(ConnectionProvider pooled) {
        this.pooled = pooled;
    }

    @Override
    public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
            Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
        Mono<? extends Connection> acquire = pooled.acquire(config, observer, remoteAddress, resolverGroup);
        // The observer's context is the context of the request being sent.
        Acquires acquires = observer.currentContext().getOrDefault(Acquires.class, null);
        return acquires == null ? acquire : acquire.doOnSubscribe(s -> acquires.started())
                .doFinally(signal -> acquires.ended());
    }

    @Override
    public void disposeWhen(SocketAddress remoteAddress) {
        pooled.disposeWhen(remoteAddress);
    }

    @Override
    public Mono<Void> disposeLater() {
        return pooled.disposeLater();
    }

    @Override
    public int maxConnections() {
        return pooled.maxConnections();
    }

    @Override
    public Map<SocketAddress, Integer> maxConnectionsPerHost() {
        return pooled.maxConnectionsPerHost();
    }

    @Override
    public String name() {
        return pooled.name();
    }

    /** The pool acquires one request has under way; {@link #settled()} completes when there are none. */
    static final class Acquires {
        private final AtomicInteger running = new AtomicInteger();
        private final Sinks.Empty<Void> idle = Sinks.empty();
        private volatile boolean waiting;

        void started() {
            running.incrementAndGet();
        }

        void ended() {
            if (running.decrementAndGet() == 0 && waiting) {
                idle.tryEmitEmpty();
            }
        }

        /** Completes once no acquire is under way (at once when none is). */
        Mono<Void> settled() {
            return Mono.defer(() -> {
                waiting = true;
                if (running.get() == 0) {
                    idle.tryEmitEmpty();
                }
                return idle.asMono();
            });
        }
    }
}
