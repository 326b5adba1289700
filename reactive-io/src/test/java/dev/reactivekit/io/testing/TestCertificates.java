package dev.reactivekit.io.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A self-signed server certificate for 127.0.0.1 and localhost, made once per test JVM. */
public final class TestCertificates {

    private static final X509Bundle SELF_SIGNED = create();

    private TestCertificates() {
    }

    public static X509Bundle selfSigned() {
        return SELF_SIGNED;
    }

    private static X509Bundle create() {
        try {
            return new CertificateBuilder()
                    .subject("CN=localhost")
                    .addSanDnsName("localhost")
                    .addSanIpAddress("127.0.0.1")
                    .notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                    .ecp256()
                    .setIsCertificateAuthority(true)
                    .buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a test certificate", e);
        }
    }
}
