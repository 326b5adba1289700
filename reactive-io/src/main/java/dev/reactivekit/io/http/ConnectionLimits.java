package dev.reactivekit.io.http;

import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.internal.Durations;
import dev.reactivekit.core.sync.AsyncSemaphore;
import dev.reactivekit.core.sync.Permit;
import dev.reactivekit.core.sync.TooManyWaitersException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A fetcher's connection limits, enforced before a request reaches Reactor Netty's pools: a permit of the
 * request's host ({@code maxConnectionsPerHost}), then one of all hosts together ({@code maxConnections}), both
 * within one {@code maxWait}, with at most {@code maxWaiters} requests waiting at each stage.
 * <p>
 * Why here and not in the pools: Reactor Netty has no limit across hosts, and a request cancelled while waiting
 * in its pool keeps its place in the pending queue until a connection frees up (its acquire is not cancelled),
 * so 10,000 cancelled requests fill the queue. Waiting here instead, a cancelled request leaves at once, and the
 * pools below rarely have anyone waiting. A host's semaphore is dropped when nobody holds or waits for it, so a
 * crawl over 100,000 hosts keeps only the active ones.
 */
final class ConnectionLimits {

    private final int maxConnections;
    private final int maxPerHost;
    private final int maxPending;
    private final Duration maxWait;
    private final AsyncSemaphore global;
    private final Map<String, Host> hosts = new HashMap<>();

    ConnectionLimits(int maxConnections, int maxPerHost, int maxPending, Duration maxWait) {
        this.maxConnections = maxConnections;
        this.maxPerHost = maxPerHost;
        this.maxPending = maxPending;
        this.maxWait = maxWait;
        // No wait limit of its own: one maxWait covers both stages (see acquire).
        this.global = AsyncSemaphore.builder(maxConnections).maxWaiters(maxPending).maxWait(null)
                .name("connections (maxConnections)").build();
    }

    /**
     * Runs {@code exchange} holding a connection permit of {@code host} and one of all hosts. A cancelled exchange
     * gives them back once the pool acquires made for it have ended (see {@link TrackedAcquire}).
     */
    <T> Mono<T> within(String operation, String host, Mono<T> exchange) {
        return Mono.usingWhen(acquire(operation, host),
                leases -> exchange.contextWrite(ctx -> ctx.put(TrackedAcquire.Acquires.class, leases.acquires)),
                Leases::release, (leases, error) -> leases.release(), Leases::releaseWhenSettled);
    }

    /** As {@link #within(String, String, Mono)} for a stream, held until it ends or is cancelled. */
    <T> Flux<T> within(String operation, String host, Publisher<T> exchange) {
        return Flux.usingWhen(acquire(operation, host),
                leases -> Flux.from(exchange).contextWrite(ctx -> ctx.put(TrackedAcquire.Acquires.class, leases.acquires)),
                Leases::release, (leases, error) -> leases.release(), Leases::releaseWhenSettled);
    }

    /** Requests waiting for a permit, at either stage. */
    int maxConnections() {
        return maxConnections;
    }

    int waiting() {
        int n = global.waiting();
        synchronized (hosts) {
            for (Host h : hosts.values()) {
                n += h.semaphore.waiting();
            }
        }
        return n;
    }

    /** Hosts with a request holding or waiting for a permit. */
    int activeHosts() {
        synchronized (hosts) {
            return hosts.size();
        }
    }

    /**
     * The host's permit, then one of all hosts, within one {@code maxWait}: the second wait gets what the
     * first left. The semaphores time a wait only while it actually waits, so a request that finds both free costs
     * no timer.
     */
    private Mono<Leases> acquire(String operation, String hostKey) {
        return Mono.defer(() -> {
            HostUse host = retain(hostKey);
            long start = System.nanoTime();
            return host.host.semaphore.acquire(maxWait)
                    .onErrorMap(e -> waitError(e, operation, " to " + hostKey, maxPerHost + " in use (maxConnectionsPerHost "
                            + maxPerHost))
                    .flatMap(hostPermit -> {
                        Duration left = maxWait.minusNanos(System.nanoTime() - start);
                        Mono<Permit> globalPermit = left.isNegative() || left.isZero()
                                ? Mono.justOrEmpty(global.tryAcquire()).switchIfEmpty(Mono.error(() ->
                                        timeout(operation, "", maxConnections + " in use across hosts (maxConnections "
                                                + maxConnections)))
                                : global.acquire(left).onErrorMap(e -> waitError(e, operation, "",
                                        maxConnections + " in use across hosts (maxConnections " + maxConnections));
                        return globalPermit.map(permit -> new Leases(host, hostPermit, permit))
                                .doOnError(e -> hostPermit.release())
                                .doOnCancel(hostPermit::release);
                    })
                    .doOnError(e -> host.release())
                    .doOnCancel(host::release)
                    // Granted just as the request was cancelled: the permits go back here.
                    .doOnDiscard(Leases.class, Leases::release);
        });
    }

    /** A semaphore's wait error as the fetcher's, naming the limit and the setting. */
    private Throwable waitError(Throwable error, String operation, String where, String limit) {
        if (error instanceof TooManyWaitersException full) {
            return tooMany(operation, where, full);
        }
        if (error instanceof PoolTimeoutException) {
            return timeout(operation, where, limit);
        }
        return error;
    }

    private PoolTimeoutException timeout(String operation, String where, String limit) {
        return new PoolTimeoutException(operation + ": no connection" + where + " free within "
                + Durations.format(maxWait) + ": all " + limit + ", maxWait "
                + Durations.format(maxWait) + ")", where.isEmpty() ? maxConnections : maxPerHost,
                maxWait, null);
    }

    private PoolTimeoutException tooMany(String operation, String where, TooManyWaitersException e) {
        return new PoolTimeoutException(operation + ": " + e.maxWaiters() + " requests already waiting for a"
                + " connection" + where + " (maxWaiters " + maxPending + ")",
                where.isEmpty() ? maxConnections : maxPerHost, Duration.ZERO, e);
    }

    private HostUse retain(String key) {
        synchronized (hosts) {
            Host host = hosts.computeIfAbsent(key, k -> new Host(k, AsyncSemaphore.builder(maxPerHost)
                    .maxWaiters(maxPending).maxWait(null).name("connections to " + k).build()));
            host.users++;
            return new HostUse(host);
        }
    }

    /** One request's use of a host's semaphore; the host is forgotten when its last use ends. */
    private final class HostUse {
        final Host host;
        private final AtomicBoolean ended = new AtomicBoolean();

        HostUse(Host host) {
            this.host = host;
        }

        void release() {
            if (ended.compareAndSet(false, true)) {
                synchronized (hosts) {
                    if (--host.users == 0) {
                        hosts.remove(host.key, host);
                    }
                }
            }
        }
    }

    private static final class Host {
        final String key;
        final AsyncSemaphore semaphore;
        int users;

        Host(String key, AsyncSemaphore semaphore) {
            this.key = key;
            this.semaphore = semaphore;
        }
    }

    /** The two permits of one request and its use of the host; released once. */
    private static final class Leases {
        private final HostUse host;
        private final Permit hostPermit;
        private final Permit globalPermit;
        private final AtomicBoolean released = new AtomicBoolean();
        final TrackedAcquire.Acquires acquires = new TrackedAcquire.Acquires();

        Leases(HostUse host, Permit hostPermit, Permit globalPermit) {
            this.host = host;
            this.hostPermit = hostPermit;
            this.globalPermit = globalPermit;
        }

        /** After a cancel: a pool acquire made for the request may still be waiting; it keeps the permits. */
        Mono<Void> releaseWhenSettled() {
            return acquires.settled().then(Mono.defer(this::release));
        }

        Mono<Void> release() {
            if (released.compareAndSet(false, true)) {
                globalPermit.release();
                hostPermit.release();
                host.release();
            }
            return Mono.empty();
        }
    }
}
