package dev.reactivekit.io.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Netty transport Reactor Netty runs on (it picks io_uring, then epoll, when their native libraries
 * load, NIO otherwise), reported once. Internal.
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
        String name = available("io.netty.channel.uring.IoUring") ? "io_uring"
                : available("io.netty.channel.epoll.Epoll") ? "epoll"
                : available("io.netty.channel.kqueue.KQueue") ? "kqueue"
                : "nio";
        log.info("ReactiveKit networking runs on the {} transport", name);
        return name;
    }

    private static boolean available(String className) {
        try {
            Class<?> type = Class.forName(className);
            boolean ok = (Boolean) type.getMethod("isAvailable").invoke(null);
            if (!ok && log.isDebugEnabled()) {
                Object cause = type.getMethod("unavailabilityCause").invoke(null);
                log.debug("{} is not available: {}", className, cause);
            }
            return ok;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
