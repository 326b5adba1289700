package dev.reactivekit.core;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Tells transient failures (worth retrying) from permanent ones. {@link RetryPolicy} retries what
 * {@link #isTransient} accepts, by default.
 */
public final class Failures {

    /** How deep {@link #isTransient} looks through causes for a classified error. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private Failures() {
    }

    /**
     * Whether trying again may succeed. Looks at {@code error} and then its causes, and decides on the first
     * one it recognizes:
     * <ul>
     *   <li>{@link TransientException} (including {@link OperationTimeoutException}): yes, by declaration.</li>
     *   <li>{@link PermanentException}: no, by declaration.</li>
     *   <li>{@link DeadlineExceededException}: no: there is no time left for another attempt.</li>
     *   <li>{@link RetriesExhaustedException}: no: it was already retried, and nested retries multiply.</li>
     *   <li>{@link StatusException}: yes for 5xx (the server failed), except 501 and 505 (it never will do it);
     *       yes for 408 (request timeout) and 429 (too many requests: back off and retry); no for every other
     *       status (4xx: the request itself is wrong).</li>
     *   <li>{@link TimeoutException}: yes, the next attempt may be faster.</li>
     *   <li>{@link ConnectException}, {@link NoRouteToHostException}, {@link SocketTimeoutException}: yes, the
     *       peer may be restarting.</li>
     *   <li>{@link UnknownHostException}: no: the name does not resolve, and retrying within seconds rarely
     *       changes that.</li>
     *   <li>{@link SocketException} (connection reset, broken pipe), {@link ClosedChannelException},
     *       {@link EOFException}: yes, the connection dropped mid-way and a new one may work.</li>
     * </ul>
     * Anything else (bad arguments, bugs, unknown errors) is not transient.
     */
    public static boolean isTransient(Throwable error) {
        Throwable e = error;
        for (int depth = 0; e != null && depth < MAX_CAUSE_DEPTH; depth++, e = e.getCause()) {
            Boolean verdict = classify(e);
            if (verdict != null) {
                return verdict;
            }
        }
        return false;
    }

    /** The opposite of {@link #isTransient}: retrying will not help. */
    public static boolean isPermanent(Throwable error) {
        return !isTransient(error);
    }

    /** Whether {@code status} (HTTP-style) is worth retrying: 5xx except 501 and 505, 408 and 429. */
    public static boolean isTransientStatus(int status) {
        if (status == 501 || status == 505) {
            return false;
        }
        return (status >= 500 && status <= 599) || status == 408 || status == 429;
    }

    /** Whether {@code error} or one of its causes is a timeout of any kind, deadlines included. */
    public static boolean isTimeout(Throwable error) {
        Throwable e = error;
        for (int depth = 0; e != null && depth < MAX_CAUSE_DEPTH; depth++, e = e.getCause()) {
            if (e instanceof OperationTimeoutException || e instanceof DeadlineExceededException
                    || e instanceof TimeoutException || e instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static Boolean classify(Throwable e) {
        if (e instanceof TransientException) {
            return true;
        }
        if (e instanceof PermanentException || e instanceof DeadlineExceededException
                || e instanceof RetriesExhaustedException) {
            return false;
        }
        if (e instanceof StatusException status) {
            return isTransientStatus(status.status());
        }
        if (e instanceof TimeoutException || e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof SocketTimeoutException) {
            return true;
        }
        if (e instanceof UnknownHostException) {
            return false;
        }
        if (e instanceof SocketException || e instanceof ClosedChannelException || e instanceof EOFException) {
            return true;
        }
        return null;
    }
}
