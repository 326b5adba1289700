package dev.reactivekit.data.redis;

import dev.reactivekit.core.ConfigurationException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Lettuce side of one {@link RedisStore}: its event loops; a client for the shared and pub/sub connections
 * (commands time out after {@code commandTimeout}) and one for blocking commands (timed out after their own
 * wait plus {@code commandTimeout}, set per connection), both standalone/Sentinel ({@link RedisClient}) or both
 * Cluster ({@link RedisClusterClient}); and every open channel, for {@link RedisStats}.
 */
final class Connections<V> {

    static {
        preferEpoll();
    }

    /**
     * Where epoll loads, Lettuce runs on it even when io_uring loads too, and says so in a WARN at every
     * connection ("Both epoll and io_uring native transports are available"). Telling Lettuce not to consider
     * io_uring then changes nothing but the warning. Left alone when the application set the property itself,
     * or when epoll does not load (io_uring is then Lettuce's only native choice).
     */
    static void preferEpoll() {
        String property = "io.lettuce.core.iouring";
        if (System.getProperty(property) == null && io.lettuce.core.resource.EpollProvider.isAvailable()) {
            System.setProperty(property, "false");
        }
    }

    /** Flushes pending beyond this many are written at once even while more may follow in the same turn. */
    private static final int MAX_CONSOLIDATED_FLUSHES = 256;

    /** The longest wait between two reconnect attempts. */
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

    /** How often a Cluster client re-reads the topology even when nothing suggests it changed. */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

    final RedisTarget target;
    final RedisCodec<String, V> codec;
    final RedisOptions options;
    final ClientResources resources;
    private final AbstractRedisClient client;
    private final AbstractRedisClient blockingClient;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final Map<RedisClusterClient, CompletableFuture<Void>> topologies = new HashMap<>();

    Connections(RedisTarget target, RedisCodec<String, V> codec, RedisOptions options) {
        this.target = target;
        this.codec = codec;
        this.options = options;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(options.ioThreads())
                .computationThreadPoolSize(options.ioThreads())
                .nettyCustomizer(new Customizer())
                // Lettuce's default backs off to 30 s between attempts; a restarted server is found again sooner.
                .reconnectDelay(Delay.equalJitter(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 10, TimeUnit.MILLISECONDS))
                .build();
        SocketOptions socket = SocketOptions.builder()
                .connectTimeout(options.connectTimeout())
                .keepAlive(true)
                .tcpNoDelay(true)
                .build();
        ClientOptions.Builder common = ClientOptions.builder()
                .autoReconnect(options.autoReconnect())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(options.requestQueueSize())
                .socketOptions(socket);
        if (!options.trustedCertificates().isEmpty()) {
            common.sslOptions(SslOptions.builder().jdkSslProvider()
                    .trustManager(trustManagers(options.trustedCertificates())).build());
        }
        ClientOptions shared = common.timeoutOptions(TimeoutOptions.enabled(options.commandTimeout())).build();
        // Blocking commands wait as long as they were asked to: each dedicated connection gets its own timeout
        // (that wait plus commandTimeout) when it is lent out, see BlockingConnections.
        ClientOptions blocking = common.timeoutOptions(TimeoutOptions.builder().timeoutCommands().connectionTimeout()
                .build()).build();
        if (target.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, target.uris());
            cluster.setOptions(clusterOptions(shared));
            RedisClusterClient clusterBlocking = RedisClusterClient.create(resources, target.uris());
            clusterBlocking.setOptions(clusterOptions(blocking));
            this.client = cluster;
            this.blockingClient = clusterBlocking;
        } else {
            RedisClient standalone = RedisClient.create(resources, target.uris().get(0));
            standalone.setOptions(shared);
            RedisClient standaloneBlocking = RedisClient.create(resources, target.uris().get(0));
            standaloneBlocking.setOptions(blocking);
            this.client = standalone;
            this.blockingClient = standaloneBlocking;
        }
    }

    private static TrustManagerFactory trustManagers(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("trusted-" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigurationException("cannot trust the given certificates: " + e.getMessage(), e);
        }
    }

    /**
     * Cluster clients also follow the topology: periodically, and at once when a node answers MOVED or ASK or
     * a connection drops (a failover otherwise leaves them sending to the old master).
     */
    private static ClusterClientOptions clusterOptions(ClientOptions options) {
        return ClusterClientOptions.builder(options)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        .enableAdaptiveRefreshTrigger(ClusterTopologyRefreshOptions.RefreshTrigger.values())
                        .build())
                .build();
    }

    /** The shared connection (or, with {@code blocking}, a dedicated one). */
    CompletableFuture<? extends StatefulConnection<String, V>> connect(boolean blocking) {
        AbstractRedisClient which = blocking ? blockingClient : client;
        if (which instanceof RedisClusterClient cluster) {
            return topology(cluster)
                    .thenCompose(known -> cluster.connectAsync(codec))
                    .thenCompose(connection -> connectNodes(connection).thenApply(connected -> connection));
        }
        return ((RedisClient) which).connectAsync(codec, target.uris().get(0)).toCompletableFuture();
    }

    /**
     * Opens a cluster connection's per-node connections now. Lettuce opens them at the first command for each node
     * and, with commands rejected while disconnected, rejects that first command instead of waiting. A node that
     * cannot be reached now is left to the first command (which then fails as unavailable, and a read is retried
     * by the policy).
     */
    private static <V> CompletableFuture<Void> connectNodes(StatefulRedisClusterConnection<String, V> connection) {
        CompletableFuture<?>[] nodes = connection.getPartitions().stream()
                .map(node -> connection.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
                        .handle((ok, unreachable) -> Boolean.TRUE))
                .toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(nodes);
    }

    /** A connection for one subscription. */
    CompletableFuture<? extends StatefulRedisPubSubConnection<String, V>> connectPubSub() {
        if (client instanceof RedisClusterClient cluster) {
            return topology(cluster).thenCompose(known -> cluster.connectPubSubAsync(codec));
        }
        return ((RedisClient) client).connectPubSubAsync(codec, target.uris().get(0)).toCompletableFuture();
    }

    /**
     * The cluster's topology, read from the seed nodes once per client before its first connection (Lettuce's
     * asynchronous connect does not read it by itself); read again on the next connect if reading it failed.
     */
    private CompletableFuture<Void> topology(RedisClusterClient cluster) {
        synchronized (topologies) {
            CompletableFuture<Void> known = topologies.get(cluster);
            if (known == null || known.isCompletedExceptionally()) {
                known = cluster.refreshPartitionsAsync().toCompletableFuture();
                topologies.put(cluster, known);
            }
            return known;
        }
    }

    /** The reactive commands of a connection this class made. */
    static <V> RedisClusterReactiveCommands<String, V> reactive(StatefulConnection<String, V> connection) {
        if (connection instanceof StatefulRedisClusterConnection<String, V> cluster) {
            return cluster.reactive();
        }
        return ((StatefulRedisConnection<String, V>) connection).reactive();
    }

    /** Open channels of this store. */
    int connectionCount() {
        return (int) channels.stream().filter(Channel::isActive).count();
    }

    /** The Netty transport of the store's open connections: "epoll", "io_uring", "kqueue" or "nio" ("none" yet). */
    String transport() {
        return channels.stream().filter(Channel::isActive).findFirst()
                .map(channel -> {
                    String type = channel.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
                    return type.startsWith("iouring") ? "io_uring" : type.startsWith("epoll") ? "epoll"
                            : type.startsWith("kqueue") ? "kqueue" : "nio";
                })
                .orElse("none");
    }

    /** Commands awaiting their replies, summed over the channels, each read on its own event loop. */
    Mono<Integer> pendingReplies() {
        return Flux.fromIterable(List.copyOf(channels))
                .flatMap(channel -> Mono.<Integer>create(sink -> {
                    try {
                        channel.eventLoop().execute(() -> {
                            CommandHandler handler = channel.pipeline().get(CommandHandler.class);
                            sink.success(handler == null ? 0 : handler.getStack().size());
                        });
                    } catch (RuntimeException rejected) {
                        sink.success(0); // the loop is shutting down with the store
                    }
                }))
                .reduce(0, Integer::sum);
    }

    /** Shuts both clients down, then the event loops, within {@code timeout}. */
    Mono<Void> shutdown(Duration timeout) {
        long ms = timeout.toMillis();
        return Mono.fromCompletionStage(() -> client.shutdownAsync(0, ms, TimeUnit.MILLISECONDS))
                .then(Mono.fromCompletionStage(() -> blockingClient.shutdownAsync(0, ms, TimeUnit.MILLISECONDS)))
                // Off the event loop the clients' shutdown completes on: stopping the loops takes a lock in
                // Netty (their task queue), which may park when contended.
                .then(Mono.<Void>create(sink -> resources.shutdown(0, ms, TimeUnit.MILLISECONDS)
                        .addListener(done -> sink.success()))
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()));
    }

    private final class Customizer implements NettyCustomizer {

        @Override
        public void afterChannelInitialized(Channel channel) {
            if (options.coalesceFlushes()) {
                // First in the pipeline, so every flush Lettuce's handlers issue passes through it: writes made in
                // one event-loop turn leave in one flush (one system call) instead of one each.
                channel.pipeline().addFirst("reactivekit.flushConsolidation",
                        new FlushConsolidationHandler(MAX_CONSOLIDATED_FLUSHES, true));
            }
            channels.add(channel);
            channel.closeFuture().addListener(closed -> channels.remove(channel));
        }
    }
}
