package dev.reactivekit.io.ws;

import dev.reactivekit.core.Policy;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.http.ClientTls;
import java.time.Duration;

/**
 * Limits and settings of a WebSocket endpoint, server or client; immutable, built with {@link #builder()}.
 * <ul>
 *   <li><b>maxFrameSize</b> ({@value #DEFAULT_MAX_FRAME_SIZE} bytes): largest frame payload accepted; a bigger
 *       one closes the connection with 1009 (message too big);</li>
 *   <li><b>maxMessageSize</b> ({@value #DEFAULT_MAX_MESSAGE_SIZE} bytes): largest message, whole or once its
 *       fragments are joined; a bigger one closes the connection with 1009;</li>
 *   <li><b>subprotocol</b>: the subprotocol to negotiate (none by default);</li>
 *   <li><b>tls</b>, for clients: which servers {@code wss://} trusts (the JDK's trust store by default);</li>
 *   <li><b>connectTimeout</b>, for clients ({@link #DEFAULT_CONNECT_TIMEOUT}, 5 s): longest time to connect;</li>
 *   <li><b>policy</b>, for clients ({@link Policy#none()}: no retry): the policy a connection runs under; its
 *       retry reconnects only until the handshake is done.</li>
 * </ul>
 */
public final class WebSocketOptions {

    public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** Connecting gives up after 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final WebSocketOptions DEFAULTS = builder().build();

    /** The settings, frozen: a copy of the builder that made them, never handed out. */
    private final Builder settings;

    private WebSocketOptions(Builder b) {
        this.settings = b.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return settings.copy();
    }

    public int maxFrameSize() {
        return settings.maxFrameSize;
    }

    public int maxMessageSize() {
        return settings.maxMessageSize;
    }

    /** The subprotocol to negotiate, or {@code null}. */
    public String subprotocol() {
        return settings.subprotocol;
    }

    /** Which servers a client trusts, or {@code null} for the JDK's trust store. */
    public ClientTls tls() {
        return settings.tls;
    }

    public Duration connectTimeout() {
        return settings.connectTimeout;
    }

    public Policy policy() {
        return settings.policy;
    }

    @Override
    public String toString() {
        return "WebSocketOptions[maxFrameSize=" + maxFrameSize() + ", maxMessageSize=" + maxMessageSize()
                + ", subprotocol=" + subprotocol() + ", tls=" + (tls() != null) + ", connectTimeout="
                + connectTimeout() + ", policy=" + policy() + "]";
    }

    /** Settings for {@link WebSocketOptions}; each setter checks its value, naming it. Not thread-safe. */
    public static final class Builder implements Cloneable {

        // Every field holds an immutable value, so copy() (a field-by-field clone) needs no list of fields.
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private String subprotocol;
        private ClientTls tls;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Policy policy = Policy.none();

        private Builder() {
        }

        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /** Largest frame payload accepted, in bytes (> 0; default 64 KiB). */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = Checks.positive(bytes, "maxFrameSize");
            return this;
        }

        /** Largest message once its fragments are joined, in bytes (> 0; default 1 MiB). */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = Checks.positive(bytes, "maxMessageSize");
            return this;
        }

        public Builder subprotocol(String subprotocol) {
            this.subprotocol = Checks.notNull(subprotocol, "subprotocol");
            return this;
        }

        public Builder tls(ClientTls tls) {
            this.tls = Checks.notNull(tls, "tls");
            return this;
        }

        /** Longest time a client takes to connect (> 0; default 5 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** The policy a client connection runs under (default {@link Policy#none()}). */
        public Builder policy(Policy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        public WebSocketOptions build() {
            return new WebSocketOptions(this);
        }
    }
}
