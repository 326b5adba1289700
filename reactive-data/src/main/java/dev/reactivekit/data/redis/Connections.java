package dev.reactivekit.data.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Lettuce side of one {@link RedisStore}: its event loops, a client for the shared and pub/sub connections
 * (commands time out after {@code commandTimeout}) and one for blocking commands (timed out after their own
 * wait plus {@code commandTimeout}, set per connection), and every open channel, for {@link RedisStats}.
 */
final class Connections<V> {

    /** Flushes pending beyond this many are written at once even while more may follow in the same turn. */
    private static final int MAX_CONSOLIDATED_FLUSHES = 256;

    /** The longest wait between two reconnect attempts. */
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

    final RedisURI uri;
    final RedisCodec<String, V> codec;
    final RedisOptions options;
    final ClientResources resources;
    final RedisClient client;
    final RedisClient blockingClient;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

    Connections(RedisURI uri, RedisCodec<String, V> codec, RedisOptions options) {
        this.uri = uri;
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
        this.client = RedisClient.create(resources, uri);
        client.setOptions(common.timeoutOptions(TimeoutOptions.enabled(options.commandTimeout())).build());
        this.blockingClient = RedisClient.create(resources, uri);
        // Blocking commands wait as long as they were asked to: each dedicated connection gets its own timeout
        // (that wait plus commandTimeout) when it is lent out, see BlockingConnections.
        blockingClient.setOptions(common.timeoutOptions(TimeoutOptions.builder().timeoutCommands().connectionTimeout()
                .build()).build());
    }

    /** Open channels of this store. */
    int connectionCount() {
        return (int) channels.stream().filter(Channel::isActive).count();
    }

    /** Commands awaiting their replies, summed over the channels, each read on its own event loop. */
    Mono<Integer> pendingReplies() {
        return Flux.fromIterable(channels)
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
                .then(Mono.<Void>create(sink -> resources.shutdown(0, ms, TimeUnit.MILLISECONDS)
                        .addListener(done -> sink.success())));
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
