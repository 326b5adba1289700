package dev.reactivekit.data.internal;

import java.io.IOException;
import java.net.Socket;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * JDK classes whose first use in a JVM reads a file, initialized once on a thread that may block, before the
 * drivers first touch them on an event loop or a Reactor scheduler thread (where BlockHound rejects the read):
 * <ul>
 *   <li>{@link #networking()}: {@code java.net.SocketImpl}, which loads {@code net.properties} when the first
 *       socket of the JVM is made (r2dbc's pool makes its first one on a Reactor thread); and Netty's native
 *       transports, whose classes read their library out of its jar when they initialize: done first where
 *       BlockHound refuses the read (r2dbc-postgresql connects on a Reactor scheduler thread), the transport stays
 *       unavailable for the JVM's life and every client, Lettuce's too, falls back to NIO;</li>
 *   <li>{@link #tls()}: the default trust store, which Netty's {@code JdkSslContext} loads when its class
 *       initializes (Lettuce builds TLS contexts on the event loop);</li>
 *   <li>{@link #mariadbDriver()}: r2dbc-mariadb reads its version from a resource of its jar the first time it
 *       writes a handshake, on the event loop (and its server-error loggers are made quiet, see
 *       {@link DriverLogs}).</li>
 * </ul>
 * Internal.
 */
public final class JdkWarmUp {

    private static final Mono<Void> NETWORKING = offload(JdkWarmUp::loadNetworking);
    private static final Mono<Void> TLS = offload(JdkWarmUp::loadTls);
    private static final Mono<Void> MARIADB = offload(() -> {
        org.mariadb.r2dbc.util.VersionFactory.getInstance();
        DriverLogs.quietMariadbServerErrors();
    });

    private JdkWarmUp() {
    }

    /** Completes once sockets can be made without reading a file; at once after the first time. */
    public static Mono<Void> networking() {
        return NETWORKING;
    }

    /** Completes once the TLS classes and the default trust store are loaded; at once after the first time. */
    public static Mono<Void> tls() {
        return TLS;
    }

    /**
     * Completes once r2dbc-mariadb has read its version resource and its server-error loggers are made; at once
     * after the first time.
     */
    public static Mono<Void> mariadbDriver() {
        return MARIADB;
    }

    private static Mono<Void> offload(Runnable load) {
        return Mono.<Void>fromRunnable(load).subscribeOn(Schedulers.boundedElastic()).cache();
    }

    private static void loadNetworking() {
        try {
            new Socket().close(); // making one initializes SocketImpl
        } catch (IOException e) {
            // nothing to warm: connecting reports the real problem
        }
        for (String transport : new String[] {"io.netty.channel.epoll.Epoll", "io.netty.channel.uring.IoUring"}) {
            try {
                Class.forName(transport, true, JdkWarmUp.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError absent) {
                // not on the class path, or not for this platform: the clients use what there is
            }
        }
    }

    private static void loadTls() {
        try {
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).init((KeyStore) null);
            SSLContext.getInstance("TLS").init(null, null, null);
            Class.forName("io.netty.handler.ssl.JdkSslContext", true, JdkWarmUp.class.getClassLoader());
        } catch (Exception e) {
            // nothing to warm: connecting reports the real problem, with the server's name
        }
    }
}
