package dev.reactivekit.io.http;

import dev.reactivekit.core.internal.Checks;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** The key and certificate chain a TLS server presents (for {@link HttpService} and the TCP server). */
public final class ServerTls {

    private final PrivateKey key;
    private final List<X509Certificate> chain;

    private ServerTls(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = chain;
    }

    /** The server's private key and its certificate chain, leaf first. */
    public static ServerTls of(PrivateKey key, X509Certificate... chain) {
        Checks.notNull(key, "key");
        Checks.isTrue(chain.length > 0, () -> "`chain` must not be empty");
        return new ServerTls(key, List.of(chain));
    }

    public PrivateKey key() {
        return key;
    }

    public List<X509Certificate> chain() {
        return chain;
    }
}
