package dev.reactivekit.data.redis;

import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link RedisStore} connects and behaves; immutable, built with {@link #builder()}. The defaults guard
 * against the failure modes Lettuce users file most:
 * <ul>
 *   <li><b>commandTimeout</b> 10 s: every command on the shared connection fails with an
 *       {@link dev.reactivekit.core.OperationTimeoutException} naming it after this long (Lettuce's own default
 *       is a minute);</li>
 *   <li><b>connectTimeout</b> 5 s, TCP keep-alive on, so a dead peer is noticed;</li>
 *   <li><b>requestQueueSize</b> 10,000: at most that many commands wait for replies per connection; the next one
 *       fails at once with a {@link dev.reactivekit.core.LimitExceededException} instead of memory growing
 *       without bound (Lettuce's default is unbounded);</li>
 *   <li>while disconnected, commands are <b>rejected at once</b> with a {@link RedisUnavailableException}, never
 *       buffered until the reconnect; reconnecting itself is automatic ({@link Builder#autoReconnect}), with
 *       jittered exponential backoff from 10 ms to at most 5 s between attempts;</li>
 *   <li><b>maxBlockingConnections</b> 8: blocking commands ({@code BRPOP}, {@code BLMOVE}, {@code XREADGROUP
 *       BLOCK}) each take a dedicated connection, never the shared one, from a pool this large;</li>
 *   <li><b>policy</b>: applied to every command but the blocking ones; its retry only to idempotent reads. The
 *       default retries a read up to 3 times, 50 ms apart and growing, on connection errors and timeouts;</li>
 *   <li><b>subscriberBuffer</b> 65,536: messages a pub/sub subscriber may fall behind before its
 *       {@code Flux} fails with a {@link dev.reactivekit.core.LimitExceededException} (Redis itself cannot
 *       be slowed down, so the alternative is unbounded memory);</li>
 *   <li><b>coalesceFlushes</b> on: commands written in the same event-loop turn leave in one flush (one
 *       system call), which is what lets one connection carry tens of thousands of commands a second.</li>
 * </ul>
 */
public final class RedisOptions {

    /** Retries idempotent reads up to 3 times on transient errors, backing off from 50 ms. */
    public static final Policy DEFAULT_POLICY = Policy.builder()
            .retry(RetryPolicy.exponential(Duration.ofMillis(50)).maxAttempts(3).maxDelay(Duration.ofSeconds(1)))
            .build();

    private static final RedisOptions DEFAULTS = builder().build();

    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final boolean autoReconnect;
    private final String clientName;
    private final int requestQueueSize;
    private final int maxBlockingConnections;
    private final Policy policy;
    private final int subscriberBuffer;
    private final boolean coalesceFlushes;
    private final int ioThreads;
    private final List<X509Certificate> trustedCertificates;

    private RedisOptions(Builder b) {
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.autoReconnect = b.autoReconnect;
        this.clientName = b.clientName;
        this.requestQueueSize = b.requestQueueSize;
        this.maxBlockingConnections = b.maxBlockingConnections;
        this.policy = b.policy;
        this.subscriberBuffer = b.subscriberBuffer;
        this.coalesceFlushes = b.coalesceFlushes;
        this.ioThreads = b.ioThreads;
        this.trustedCertificates = b.trustedCertificates;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RedisOptions defaults() {
        return DEFAULTS;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.commandTimeout = commandTimeout;
        b.connectTimeout = connectTimeout;
        b.autoReconnect = autoReconnect;
        b.clientName = clientName;
        b.requestQueueSize = requestQueueSize;
        b.maxBlockingConnections = maxBlockingConnections;
        b.policy = policy;
        b.subscriberBuffer = subscriberBuffer;
        b.coalesceFlushes = coalesceFlushes;
        b.ioThreads = ioThreads;
        b.trustedCertificates = trustedCertificates;
        return b;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public boolean autoReconnect() {
        return autoReconnect;
    }

    /** The name shown by {@code CLIENT LIST}, or {@code null}. */
    public String clientName() {
        return clientName;
    }

    public int requestQueueSize() {
        return requestQueueSize;
    }

    public int maxBlockingConnections() {
        return maxBlockingConnections;
    }

    public Policy policy() {
        return policy;
    }

    public int subscriberBuffer() {
        return subscriberBuffer;
    }

    public boolean coalesceFlushes() {
        return coalesceFlushes;
    }

    public int ioThreads() {
        return ioThreads;
    }

    /** Certificates trusted for {@code rediss://} instead of the JDK's CAs; empty for the JDK's. */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    @Override
    public String toString() {
        return "RedisOptions[commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout
                + ", autoReconnect=" + autoReconnect + ", clientName=" + clientName + ", requestQueueSize="
                + requestQueueSize + ", maxBlockingConnections=" + maxBlockingConnections + ", policy=" + policy
                + ", subscriberBuffer=" + subscriberBuffer + ", coalesceFlushes=" + coalesceFlushes
                + ", ioThreads=" + ioThreads + ", trustedCertificates=" + trustedCertificates.size() + "]";
    }

    public static final class Builder {

        private Duration commandTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private boolean autoReconnect = true;
        private String clientName;
        private int requestQueueSize = 10_000;
        private int maxBlockingConnections = 8;
        private Policy policy = DEFAULT_POLICY;
        private int subscriberBuffer = 65_536;
        private boolean coalesceFlushes = true;
        private int ioThreads = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
        private List<X509Certificate> trustedCertificates = List.of();

        private Builder() {
        }

        /** How long one command may wait for its reply (blocking commands: this much beyond their own wait). */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Checks.positive(commandTimeout, "commandTimeout");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Whether a dropped connection is re-established in the background (default true). */
        public Builder autoReconnect(boolean autoReconnect) {
            this.autoReconnect = autoReconnect;
            return this;
        }

        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        /** Commands that may wait for replies on one connection before new ones are refused. */
        public Builder requestQueueSize(int requestQueueSize) {
            this.requestQueueSize = Checks.positive(requestQueueSize, "requestQueueSize");
            return this;
        }

        /** Dedicated connections for blocking commands, at most; a blocking command waits for one to be free. */
        public Builder maxBlockingConnections(int maxBlockingConnections) {
            this.maxBlockingConnections = Checks.positive(maxBlockingConnections, "maxBlockingConnections");
            return this;
        }

        /**
         * The policy applied to every command (timeout, deadline, concurrency limit, circuit breaker); its retry
         * applies only to idempotent reads ({@code GET}, {@code HGETALL}, {@code LRANGE}, ...), never to writes,
         * which may have been applied before the connection dropped. {@link Policy#none()} turns it off.
         * Blocking commands ({@code brpop}, stream readers, queue consumers) are bounded by their own wait plus
         * {@link #commandTimeout} instead: the policy does not apply to them.
         */
        public Builder policy(Policy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        /** Messages a pub/sub subscriber may fall behind by before its stream fails. */
        public Builder subscriberBuffer(int subscriberBuffer) {
            this.subscriberBuffer = Checks.positive(subscriberBuffer, "subscriberBuffer");
            return this;
        }

        /** Whether commands written in the same event-loop turn share one flush (default true). */
        public Builder coalesceFlushes(boolean coalesceFlushes) {
            this.coalesceFlushes = coalesceFlushes;
            return this;
        }

        /** Event-loop threads of this store's connections (default: cores, between 2 and 4). */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = Checks.positive(ioThreads, "ioThreads");
            return this;
        }

        /**
         * Trusts these certificates (a private CA, or a self-signed server certificate) for {@code rediss://}
         * connections, instead of the JDK's CAs. The server's name is still checked against its certificate.
         */
        public Builder trustedCertificates(List<X509Certificate> certificates) {
            Checks.notNull(certificates, "certificates");
            certificates.forEach(c -> Checks.notNull(c, "certificate"));
            this.trustedCertificates = List.copyOf(certificates);
            return this;
        }

        /** {@link #trustedCertificates(List)} read from a PEM file of one or more certificates. */
        public Builder trustedCertificates(Path pemFile) {
            Checks.notNull(pemFile, "pemFile");
            try (InputStream in = Files.newInputStream(pemFile)) {
                List<X509Certificate> certificates = new ArrayList<>();
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    certificates.add((X509Certificate) certificate);
                }
                Checks.isTrue(!certificates.isEmpty(), () -> pemFile + " holds no certificate");
                return trustedCertificates(certificates);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the certificates in " + pemFile, e);
            } catch (CertificateException e) {
                throw new IllegalArgumentException(pemFile + " is not a PEM file of certificates: " + e.getMessage(), e);
            }
        }

        public RedisOptions build() {
            return new RedisOptions(this);
        }
    }
}
