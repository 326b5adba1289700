package dev.reactivekit.data.redis;

import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Loads the JDK's TLS machinery and default trust store once per JVM, on a thread that may block, before the
 * first {@code rediss://} connection. Lettuce builds each connection's TLS context on the event loop, and the
 * first one in a JVM reads the trust store file there (Netty's {@code JdkSslContext} initializes a default
 * context when its class loads): a blocking read on an event loop, which BlockHound rejects. The JDK caches
 * the trust store afterwards.
 */
final class TlsWarmUp {

    private static final Mono<Void> WARM_UP = Mono.<Void>fromRunnable(TlsWarmUp::load)
            .subscribeOn(Schedulers.boundedElastic())
            .cache();

    private TlsWarmUp() {
    }

    /** Completes once the TLS classes and the default trust store are loaded; at once after the first time. */
    static Mono<Void> ensure() {
        return WARM_UP;
    }

    private static void load() {
        try {
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).init((KeyStore) null);
            SSLContext.getInstance("TLS").init(null, null, null);
            Class.forName("io.netty.handler.ssl.JdkSslContext", true, TlsWarmUp.class.getClassLoader());
        } catch (Exception e) {
            // Nothing to warm: connecting reports the real problem, with the server's name.
        }
    }
}
