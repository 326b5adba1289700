package dev.reactivekit.io.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/**
 * Which Netty transport Reactor Netty's shared event loops run on, as Reactor Netty itself resolves it (io_uring,
 * then epoll or kqueue when their native libraries load, NIO otherwise), reported once. Internal.
 *
 * <p>Asking Reactor Netty rather than probing the native classes matters: in a fat jar that lost its
 * {@code Multi-Release} manifest attribute, Reactor Netty cannot see io_uring even though Netty's classes load.
 */
public final class NetworkTransport {

    private static final Logger log = LoggerFactory.getLogger(NetworkTransport.class);
    private static final String NAME = detect();

    private NetworkTransport() {
    }

    /** "io_uring", "epoll", "kqueue" or "nio". */
    public static String name() {
        return NAME;
    }

    private static String detect() {
        LoopResources loops = HttpResources.get();
        EventLoopGroup group = loops.onServer(true);
        String channel = loops.onChannelClass(SocketChannel.class, group).getSimpleName().toLowerCase(Locale.ROOT);
        String name = channel.startsWith("iouring") ? "io_uring"
                : channel.startsWith("epoll") ? "epoll"
                : channel.startsWith("kqueue") ? "kqueue"
                : "nio";
        log.info("ReactiveKit networking runs on the {} transport", name);
        return name;
    }
}
