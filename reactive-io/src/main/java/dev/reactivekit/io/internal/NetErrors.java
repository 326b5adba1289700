package dev.reactivekit.io.internal;

import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.PermanentException;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.ReactiveKitException;
import dev.reactivekit.core.internal.Durations;
import dev.reactivekit.io.NetworkException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

/**
 * Turns the errors of Netty and the JDK's network stack into ReactiveKit's, with the operation named: a
 * refused connection becomes "GET http://...: connection refused (/127.0.0.1:8080)". One place, so every
 * client reports the same way. Errors that are already ReactiveKit's pass through. Internal.
 */
public final class NetErrors {

    private NetErrors() {
    }

    /** The limits an error message may need to name. */
    public record Limits(Duration connect, Duration response, Duration read, Duration acquire, int poolSize) {

        /** Limits of a client whose only wait is connecting. */
        public static Limits connecting(Duration connect) {
            return new Limits(connect, connect, connect, connect, 1);
        }
    }

    /**
     * @param operation what was being done, for example {@code "GET http://127.0.0.1:8080/x"}
     * @param limits    the configured limits, named by timeout and pool errors
     */
    public static Throwable map(Throwable error, String operation, Limits limits) {
        if (error instanceof ReactiveKitException) {
            return error;
        }
        int poolSize = limits.poolSize();
        if (error instanceof ConnectTimeoutException) {
            return new OperationTimeoutException(operation + ": connect", limits.connect(), error);
        }
        if (error instanceof ResponseTimeouts.HeadersTimeout) {
            return new OperationTimeoutException(operation + ": waiting for the response", limits.response(), error);
        }
        if (error instanceof ResponseTimeouts.BodyTimeout || error instanceof ReadTimeoutException) {
            return new OperationTimeoutException(operation + ": waiting for data", limits.read(), error);
        }
        if (error instanceof PoolAcquireTimeoutException) {
            return new PoolTimeoutException(operation + ": no pooled connection to the host became free within "
                    + Durations.format(limits.acquire()) + " (maxConnectionsPerHost " + poolSize + ", maxWait "
                    + Durations.format(limits.acquire()) + ")", poolSize, limits.acquire(), error);
        }
        if (error instanceof PoolAcquirePendingLimitException) {
            return new PoolTimeoutException(operation + ": too many requests already waiting for a connection to the"
                    + " host (" + error.getMessage() + "; maxWaiters)", poolSize, Duration.ZERO, error);
        }
        if (error instanceof PrematureCloseException) {
            return new NetworkException(operation + ": " + lowerFirst(error.getMessage()), error);
        }
        if (error instanceof AbortedException || AbortedException.isConnectionReset(error)) {
            return new NetworkException(operation + ": connection closed or reset (" + error.getMessage() + ")", error);
        }
        if (error instanceof ConnectException) {
            return new NetworkException(operation + ": connection refused (" + error.getMessage() + ")", error);
        }
        if (error instanceof UnknownHostException) {
            return new PermanentException(operation + ": unknown host (" + error.getMessage() + ")", error);
        }
        if (error instanceof SSLException) {
            return new PermanentException(operation + ": TLS failed (" + error.getMessage() + ")", error);
        }
        if (error instanceof TimeoutException) {
            return error;
        }
        if (error instanceof IOException) {
            return new NetworkException(operation + ": " + error.getMessage(), error);
        }
        return error;
    }

    /**
     * An error on an established connection or socket (TCP, WebSocket, UDP), with it named, for example
     * {@code "TCP connection /127.0.0.1:5000: connection closed or reset (...)"}.
     */
    public static Throwable onConnection(Throwable error, String connection) {
        if (error instanceof ReactiveKitException) {
            return error;
        }
        if (error instanceof AbortedException || AbortedException.isConnectionReset(error)) {
            return new NetworkException(connection + ": connection closed or reset (" + error.getMessage() + ")", error);
        }
        if (error instanceof IOException) {
            return new NetworkException(connection + ": " + error.getMessage(), error);
        }
        return error;
    }

    /** A server that could not listen, with the reason (usually "Address already in use"). */
    public static Throwable bindFailed(Throwable error, String what, String host, int port) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Reactor Netty attaches the operating system's reason for TCP, not always for UDP.
        String reason = root == error ? "the address is in use or not available" : String.valueOf(root.getMessage());
        int colon = reason.lastIndexOf(": ");
        return new NetworkException(what + " cannot listen on " + host + ":" + port + ": "
                + (colon >= 0 ? reason.substring(colon + 2) : reason), error);
    }

    private static String lowerFirst(String s) {
        return s == null || s.isEmpty() ? "connection closed" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
