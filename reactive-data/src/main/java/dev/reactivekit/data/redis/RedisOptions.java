package dev.reactivekit.data.redis;

import dev.reactivekit.core.ConfigurationException;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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
 *   <li><b>subscriberScheduler</b> {@code Schedulers.parallel()}: where pub/sub messages are delivered, off the
 *       event loop that every command of the store shares, so that a slow subscriber delays only itself;</li>
 *   <li><b>coalesceFlushes</b> on: commands written in the same event-loop turn leave in one flush (one
 *       system call), which is what lets one connection carry tens of thousands of commands a second.</li>
 * </ul>
 */
public final class RedisOptions {

    /** {@link Builder#commandTimeout}: 10 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** {@link Builder#connectTimeout}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** {@link Builder#requestQueueSize}: 10,000 commands per connection. */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;
    /** {@link Builder#maxBlockingConnections}: 8 connections. */
    public static final int DEFAULT_MAX_BLOCKING_CONNECTIONS = 8;
    /** {@link Builder#subscriberBuffer}: 65,536 messages per subscriber. */
    public static final int DEFAULT_SUBSCRIBER_BUFFER = 65_536;
    /** Retries idempotent reads up to 3 times on transient errors, backing off from 50 ms. */
    public static final Policy DEFAULT_POLICY = Policy.builder()
            .retry(RetryPolicy.exponential(Duration.ofMillis(50)).maxAttempts(3).maxDelay(Duration.ofSeconds(1)))
            .build();

    private static final RedisOptions DEFAULTS = builder().build();

    /** The settings, frozen: a copy of the builder that made them, never handed out. */
    private final Builder settings;

    private RedisOptions(Builder b) {
        this.settings = b.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static RedisOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return settings.copy();
    }

    public Duration commandTimeout() {
        return settings.commandTimeout;
    }

    public Duration connectTimeout() {
        return settings.connectTimeout;
    }

    public boolean autoReconnect() {
        return settings.autoReconnect;
    }

    /** The name shown by {@code CLIENT LIST}, or {@code null}. */
    public String clientName() {
        return settings.clientName;
    }

    public int requestQueueSize() {
        return settings.requestQueueSize;
    }

    public int maxBlockingConnections() {
        return settings.maxBlockingConnections;
    }

    public Policy policy() {
        return settings.policy;
    }

    public int subscriberBuffer() {
        return settings.subscriberBuffer;
    }

    /** Where pub/sub messages are delivered. */
    public Scheduler subscriberScheduler() {
        return settings.subscriberScheduler;
    }

    public boolean coalesceFlushes() {
        return settings.coalesceFlushes;
    }

    public int ioThreads() {
        return settings.ioThreads;
    }

    /** Certificates trusted for {@code rediss://} instead of the JDK's CAs; empty for the JDK's. */
    public List<X509Certificate> trustedCertificates() {
        return settings.trustedCertificates;
    }

    @Override
    public String toString() {
        Builder b = settings;
        return "RedisOptions[commandTimeout=" + b.commandTimeout + ", connectTimeout=" + b.connectTimeout
                + ", autoReconnect=" + b.autoReconnect + ", clientName=" + b.clientName + ", requestQueueSize="
                + b.requestQueueSize + ", maxBlockingConnections=" + b.maxBlockingConnections + ", policy="
                + b.policy + ", subscriberBuffer=" + b.subscriberBuffer + ", subscriberScheduler="
                + b.subscriberScheduler + ", coalesceFlushes=" + b.coalesceFlushes + ", ioThreads=" + b.ioThreads
                + ", trustedCertificates=" + b.trustedCertificates.size() + "]";
    }

    /** Settings for a {@link RedisOptions}; each setter checks its value, naming it. Not thread-safe. */
    public static final class Builder implements Cloneable {

        // Every field holds an immutable value, so copy() (a field-by-field clone) needs no list of fields.
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private boolean autoReconnect = true;
        private String clientName;
        private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
        private int maxBlockingConnections = DEFAULT_MAX_BLOCKING_CONNECTIONS;
        private Policy policy = DEFAULT_POLICY;
        private int subscriberBuffer = DEFAULT_SUBSCRIBER_BUFFER;
        private Scheduler subscriberScheduler = Schedulers.parallel();
        private boolean coalesceFlushes = true;
        private int ioThreads = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
        private List<X509Certificate> trustedCertificates = List.of();

        private Builder() {
        }

        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /**
         * How long one command may wait for its reply (blocking commands: this much beyond their own wait);
         * default {@link #DEFAULT_COMMAND_TIMEOUT}.
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Checks.positive(commandTimeout, "commandTimeout");
            return this;
        }

        /** How long connecting may take; default {@link #DEFAULT_CONNECT_TIMEOUT}. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Whether a dropped connection is re-established in the background (default true). */
        public Builder autoReconnect(boolean autoReconnect) {
            this.autoReconnect = autoReconnect;
            return this;
        }

        /** The name {@code CLIENT LIST} shows for the store's connections (default none). */
        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        /**
         * Commands that may wait on one connection, written or waiting for their reply, before new ones are refused
         * with a {@link dev.reactivekit.core.LimitExceededException}; default {@link #DEFAULT_REQUEST_QUEUE_SIZE}.
         * Lettuce counts a command until its write has been acknowledged, which can come a moment after its reply.
         */
        public Builder requestQueueSize(int requestQueueSize) {
            this.requestQueueSize = Checks.positive(requestQueueSize, "requestQueueSize");
            return this;
        }

        /**
         * Dedicated connections for blocking commands and transactions, at most; a caller waits up to
         * {@link #commandTimeout} for one to be free. Default {@link #DEFAULT_MAX_BLOCKING_CONNECTIONS}.
         */
        public Builder maxBlockingConnections(int maxBlockingConnections) {
            this.maxBlockingConnections = Checks.positive(maxBlockingConnections, "maxBlockingConnections");
            return this;
        }

        /**
         * The policy applied to every command (timeout, deadline, concurrency limit, circuit breaker); its retry
         * applies only to idempotent reads ({@code GET}, {@code HGETALL}, {@code LRANGE}, ...), never to writes,
         * which may have been applied before the connection dropped. {@link Policy#none()} turns it off.
         * Blocking commands ({@code brpop}, stream readers, queue consumers) are bounded by their own wait plus
         * {@link #commandTimeout} instead: the policy does not apply to them. Default {@link #DEFAULT_POLICY}.
         */
        public Builder policy(Policy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        /**
         * Messages a pub/sub subscriber may fall behind by before its stream fails (at least 2); default
         * {@link #DEFAULT_SUBSCRIBER_BUFFER}.
         */
        public Builder subscriberBuffer(int subscriberBuffer) {
            Checks.isTrue(subscriberBuffer >= 2, () -> "`subscriberBuffer` must be >= 2: " + subscriberBuffer);
            this.subscriberBuffer = subscriberBuffer;
            return this;
        }

        /**
         * Where pub/sub messages are delivered, in order, for each subscription; default
         * {@code Schedulers.parallel()}. {@code Schedulers.immediate()} delivers on the connection's event loop,
         * which saves a hand-off per message but lets a slow subscriber stall every command of the store.
         */
        public Builder subscriberScheduler(Scheduler subscriberScheduler) {
            this.subscriberScheduler = Checks.notNull(subscriberScheduler, "subscriberScheduler");
            return this;
        }

        /** Whether commands written in the same event-loop turn share one flush (default true). */
        public Builder coalesceFlushes(boolean coalesceFlushes) {
            this.coalesceFlushes = coalesceFlushes;
            return this;
        }

        /** Event-loop threads of this store's connections, at least 2 (default: cores, between 2 and 4). */
        public Builder ioThreads(int ioThreads) {
            Checks.isTrue(ioThreads >= 2, () -> "`ioThreads` must be >= 2 (Lettuce runs at least 2): " + ioThreads);
            this.ioThreads = ioThreads;
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
                throw new ConfigurationException("cannot read the certificates in " + pemFile + ": " + e.getMessage(), e);
            } catch (CertificateException e) {
                throw new ConfigurationException(pemFile + " is not a PEM file of certificates: " + e.getMessage(), e);
            }
        }

        public RedisOptions build() {
            return new RedisOptions(this);
        }
    }
}
