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
 * On Linux, falling back to NIO is a WARN (the native transports are what make the event loops fast), naming the
 * usual causes, so that a fat jar built without them is noticed.
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
        String warning = fallbackWarning(System.getProperty("os.name", ""), name);
        if (warning != null) {
            log.warn(warning);
        } else {
            log.info("ReactiveKit networking runs on the {} transport", name);
        }
        return name;
    }

    /** The warning for running on {@code transport} under {@code osName}, or {@code null} when it is as expected. */
    static String fallbackWarning(String osName, String transport) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux") || !transport.equals("nio")) {
            return null;
        }
        return "ReactiveKit networking runs on the NIO transport on Linux: Netty's native io_uring and epoll"
                + " transports could not be loaded. In a shaded (fat) jar, keep 'Multi-Release: true' in its manifest"
                + " and the netty-transport-native-io_uring / -epoll jars with their linux classifiers; check that"
                + " -Dreactor.netty.native=false is not set, and the DEBUG log of io.netty for the reason.";
    }
}
