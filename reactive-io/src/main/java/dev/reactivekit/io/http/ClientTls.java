package dev.reactivekit.io.http;

import dev.reactivekit.core.internal.Checks;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which servers an HTTPS client trusts: the JDK's trust store ({@link #system()}, the default), given
 * certificates (for a private CA or a self-signed server), a trust manager factory, or, for tests only,
 * anything ({@link #insecureTrustAll()}).
 */
public final class ClientTls {

    private static final ClientTls SYSTEM = new ClientTls(null, null, false);

    private final List<X509Certificate> trusted;
    private final TrustManagerFactory factory;
    private final boolean trustAll;

    private ClientTls(List<X509Certificate> trusted, TrustManagerFactory factory, boolean trustAll) {
        this.trusted = trusted;
        this.factory = factory;
        this.trustAll = trustAll;
    }

    /** The JDK's default trust store. */
    public static ClientTls system() {
        return SYSTEM;
    }

    /** Trusts exactly these certificates (CA or server certificates). */
    public static ClientTls trusting(X509Certificate... certificates) {
        Checks.isTrue(certificates.length > 0, () -> "`certificates` must not be empty");
        return new ClientTls(List.of(certificates), null, false);
    }

    /** Trusts what {@code factory} trusts. */
    public static ClientTls trusting(TrustManagerFactory factory) {
        return new ClientTls(null, Checks.notNull(factory, "factory"), false);
    }

    /** Trusts every certificate, checking nothing. Never in production: it defeats TLS. Logged as a warning. */
    public static ClientTls insecureTrustAll() {
        return new ClientTls(null, null, true);
    }

    /** The certificates trusted, or {@code null} when another source is used. */
    public List<X509Certificate> trusted() {
        return trusted;
    }

    /** The trust manager factory, or {@code null} when another source is used. */
    public TrustManagerFactory factory() {
        return factory;
    }

    /** Whether every certificate is accepted. */
    public boolean isTrustAll() {
        return trustAll;
    }
}
