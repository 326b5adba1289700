package dev.reactivekit.io.http;

import dev.reactivekit.core.ConfigurationException;
import dev.reactivekit.core.internal.Checks;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
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

    /**
     * A new key and a self-signed certificate for {@code hostname} (with Netty's default validity), for local
     * tools, demos and tests: clients trust it only when told to ({@link ClientTls#trusting(X509Certificate...)} with
     * {@code chain().get(0)}, or {@link ClientTls#insecureTrustAll()}). Made with Netty's
     * {@code SelfSignedCertificate} (BouncyCastle when present, else the JDK's own tools). Blocking, and slow
     * (a key pair is generated): call it at startup, never on an event loop. Fails with a
     * {@link ConfigurationException} when no certificate can be made.
     */
    public static ServerTls selfSigned(String hostname) {
        Checks.isTrue(hostname != null && !hostname.isBlank(), () -> "`hostname` must not be blank");
        SelfSignedCertificate made = null;
        try {
            made = new SelfSignedCertificate(hostname);
            return new ServerTls(made.key(), List.of(made.cert()));
        } catch (CertificateException | RuntimeException e) {
            throw new ConfigurationException("cannot make a self-signed certificate for " + hostname + ": "
                    + e.getMessage(), e);
        } finally {
            if (made != null) {
                made.delete();
            }
        }
    }

    public PrivateKey key() {
        return key;
    }

    public List<X509Certificate> chain() {
        return chain;
    }
}
