package dev.reactivekit.io.internal;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.channel.ChannelOperations;

/**
 * Stops a server without cutting short the requests it is serving, and without blocking: stop accepting
 * connections, close the idle ones, let the busy ones finish within a grace period, then close whatever is
 * left and cancel the handlers still running (closing a connection does not cancel its handler's
 * subscription). Reactor Netty's {@code disposeNow(Duration)} does the first part but blocks the calling
 * thread. Internal.
 */
public final class GracefulShutdown {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private GracefulShutdown() {
    }

    /** @param cancelHandlers cancels every handler still running; called once the connections are closed */
    public static Mono<Void> stop(DisposableServer server, ChannelGroup connections, Duration grace, String name,
            Runnable cancelHandlers) {
        return Mono.defer(() -> {
            server.dispose();   // the listening socket closes: no new connections
            List<Mono<Void>> busy = new ArrayList<>();
            for (Channel channel : connections) {
                ChannelOperations<?, ?> ops = ChannelOperations.get(channel);
                if (ops == null) {
                    channel.close();   // idle keep-alive connection
                } else {
                    busy.add(ops.onTerminate().doFinally(signal -> ops.dispose()));
                }
            }
            return Mono.when(busy)
                    .timeout(grace, Mono.defer(() -> {
                        log.warn("{}: {} connection(s) still busy after the {} ms grace period; closing them and"
                                + " cancelling their handlers", name, connections.size(), grace.toMillis());
                        return Mono.<Void>create(sink -> connections.close().addListener(closed -> sink.success()));
                    }))
                    .then(Mono.fromRunnable(cancelHandlers))
                    .then(server.onDispose());
        });
    }
}
