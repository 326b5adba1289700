package dev.reactivekit.io.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.io.http.ClientTls;
import dev.reactivekit.io.http.ServerTls;
import dev.reactivekit.io.testing.TestCertificates;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.Test;

/** A TLS context is built once per settings object, not once per connection. */
class TlsContextsTest {

    @Test
    void theSameSettingsGiveTheSameContextAndOtherSettingsAnother() throws Exception {
        X509Bundle cert = TestCertificates.selfSigned();
        ClientTls trusting = ClientTls.trusting(cert.getCertificate());
        ClientTls other = ClientTls.trusting(cert.getCertificate());
        assertThat(TlsContexts.client(trusting)).isSameAs(TlsContexts.client(trusting))
                .isNotSameAs(TlsContexts.client(other));

        ServerTls server = ServerTls.of(cert.getKeyPair().getPrivate(), cert.getCertificatePath());
        assertThat(TlsContexts.server(server)).isSameAs(TlsContexts.server(server));
        assertThat(TlsContexts.server(server).isServer()).isTrue();
        assertThat(TlsContexts.client(trusting).isClient()).isTrue();
    }
}
