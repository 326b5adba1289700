package dev.reactivekit.io.http;

import dev.reactivekit.io.internal.PoolMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The connections a fetcher and its {@code toBuilder()} variants share: Reactor Netty's per-host pools, their
 * metrics, the fetcher's own connection limits, and the client that opens connections. Variants derive their
 * request settings (timeouts, redirects, headers) from that one client: Reactor Netty keys a host's pool by the
 * client's connection settings too, so a client of their own would get pools of their own. Reference-counted:
 * each fetcher built on it holds one reference and gives it back on {@code close()}; the pools close with the
 * last reference.
 */
final class SharedPool {

    private static final AtomicInteger IDS = new AtomicInteger();

    final String name;
    final ConnectionProvider provider;
    final PoolMetrics metrics = new PoolMetrics();
    final ConnectionLimits limits;
    /** Opens and pools connections; every fetcher on this pool derives its requests from it. */
    final HttpClient client;
    /** Fetchers holding this pool; -1 once it is closed for good. */
    private final AtomicInteger users = new AtomicInteger();

    SharedPool(int maxConnections, int maxPerHost, int maxPending, Duration maxWait, Duration maxIdleTime,
            Duration maxLifeTime, Duration evictionInterval, Duration hostPoolIdleTime,
            Function<ConnectionProvider, HttpClient> connecting) {
        this.name = "reactivekit-http-" + IDS.incrementAndGet();
        this.limits = new ConnectionLimits(maxConnections, maxPerHost, maxPending, maxWait);
        this.provider = new TrackedAcquire(ConnectionProvider.builder(name)
                .maxConnections(maxPerHost)
                .pendingAcquireMaxCount(maxPending)
                .pendingAcquireTimeout(maxWait)
                .maxIdleTime(maxIdleTime)
                .maxLifeTime(maxLifeTime)
                .evictInBackground(evictionInterval)
                // A host not talked to for a while loses its pool and its metrics: a crawl over 100,000 hosts
                // must not keep 100,000 pools.
                .disposeInactivePoolsInBackground(evictionInterval, hostPoolIdleTime)
                .metrics(true, () -> metrics)
                .build());
        this.client = connecting.apply(provider);
    }

    /** Takes a reference; {@code false} if the pool has closed already. */
    boolean retain() {
        for (;;) {
            int n = users.get();
            if (n < 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the pools, aborting what is still in flight. */
    Mono<Void> release() {
        return Mono.defer(() -> users.decrementAndGet() == 0 && users.compareAndSet(0, -1)
                ? provider.disposeLater() : Mono.empty());
    }
}
