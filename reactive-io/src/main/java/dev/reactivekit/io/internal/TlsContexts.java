package dev.reactivekit.io.internal;

import dev.reactivekit.io.http.ClientTls;
import dev.reactivekit.io.http.ServerTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds Netty TLS contexts from ReactiveKit's TLS settings. Internal. */
public final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    /**
     * One context per settings object, built the first time a connection needs it: building one parses
     * certificates and sets up a trust manager, far too much to do per connection. Weak keys, so settings a user
     * dropped take their context with them.
     */
    private static final Map<Object, SslContext> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private TlsContexts() {
    }

    /** The context for {@code tls}, the same one every time for the same settings. */
    public static SslContext client(ClientTls tls) {
        return CACHE.computeIfAbsent(tls, t -> build((ClientTls) t));
    }

    /** The context for {@code tls}, the same one every time for the same settings. */
    public static SslContext server(ServerTls tls) {
        return CACHE.computeIfAbsent(tls, t -> build((ServerTls) t));
    }

    private static SslContext build(ClientTls tls) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (tls.isTrustAll()) {
                log.warn("TLS certificate checks are disabled (ClientTls.insecureTrustAll()): use it in tests only");
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (tls.trusted() != null) {
                builder.trustManager(tls.trusted().toArray(X509Certificate[]::new));
            } else if (tls.factory() != null) {
                builder.trustManager(tls.factory());
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("invalid client TLS settings: " + e.getMessage(), e);
        }
    }

    private static SslContext build(ServerTls tls) {
        try {
            return SslContextBuilder.forServer(tls.key(), tls.chain().toArray(X509Certificate[]::new)).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("invalid server TLS key or certificate: " + e.getMessage(), e);
        }
    }
}
