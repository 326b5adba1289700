package dev.reactivekit.data.redis;

import dev.reactivekit.data.internal.Causes;
import dev.reactivekit.core.AuthenticationException;
import dev.reactivekit.core.ConfigurationException;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.ReactiveKitException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/** Turns Lettuce's errors into ReactiveKit's typed ones, naming the command and its key. */
final class RedisErrors {

    private RedisErrors() {
    }

    /**
     * @param timeout the limit Lettuce enforced, reported when the command timed out
     * @param queueSize the request queue bound, reported when it was full
     */
    static Throwable map(Throwable error, String command, String key, Duration timeout, int queueSize) {
        if (error instanceof ReactiveKitException) {
            return error;
        }
        if (error instanceof RedisCommandTimeoutException) {
            String what = key == null ? "Redis " + command : "Redis " + command + " " + RedisErrorMessages.shorten(key);
            return new OperationTimeoutException(what, timeout, error);
        }
        if (error instanceof RedisCommandExecutionException) {
            String reply = String.valueOf(error.getMessage());
            int space = reply.indexOf(' ');
            String code = space > 0 ? reply.substring(0, space) : reply;
            if ("WRONGTYPE".equals(code)) {
                return new RedisWrongTypeException(command, key, reply, error);
            }
            return new RedisCommandException(command, key, code.chars().allMatch(Character::isUpperCase) ? code : "",
                    reply, error);
        }
        String message = String.valueOf(error.getMessage());
        if (message.startsWith("Request queue size exceeded") || message.startsWith("Internal stack size exceeded")) {
            LimitExceededException limit = new LimitExceededException(RedisErrorMessages.describe(command, key,
                    queueSize + " commands already wait for a reply (requestQueueSize); slow down or raise it"),
                    "requestQueueSize", queueSize);
            limit.initCause(error);
            return limit;
        }
        if (error instanceof io.lettuce.core.RedisConnectionException || error instanceof IOException
                || error instanceof ClosedChannelException || isDisconnected(message)) {
            return new RedisUnavailableException(command, key, describeDisconnect(error), error);
        }
        if (error instanceof RedisException) {
            return new RedisCommandException(command, key, "", message, error);
        }
        return error;
    }

    /**
     * Why connecting to {@code display} failed, typed the same as on the SQL backends: credentials the server
     * refused are an {@link AuthenticationException}, any other refusal during the handshake (a database index out
     * of range, AUTH sent to a server without a password) a {@link ConfigurationException}, both permanent; an
     * unreachable server a transient {@link RedisUnavailableException}.
     */
    static Throwable connectFailed(String display, Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof RedisCommandExecutionException refused) {
                String reply = String.valueOf(refused.getMessage());
                String detail = "cannot connect to " + display + ": the server refused: " + reply;
                // WRONGPASS/NOAUTH/NOPERM, or a password sent to a server that has none ("ERR AUTH <password> called
                // without any password configured"): the credentials do not match the server's.
                if (reply.startsWith("WRONGPASS") || reply.startsWith("NOAUTH") || reply.startsWith("NOPERM")
                        || reply.contains("AUTH") || reply.contains("invalid password")) {
                    return new AuthenticationException(detail, error);
                }
                return new ConfigurationException(detail, error);
            }
        }
        return new RedisUnavailableException("CONNECT", null, "cannot connect to " + display + ": "
                + Causes.rootMessage(error), error);
    }

    private static boolean isDisconnected(String message) {
        // "Connection disconnected": Lettuce fails what a connection that will not reconnect (a dedicated
        // blocking one) had sent when it dropped.
        return message.startsWith("Currently not connected") || message.startsWith("Connection closed")
                || message.startsWith("Connection is closed") || message.startsWith("Connection disconnected")
                || message.contains("Connection reset");
    }

    private static String describeDisconnect(Throwable error) {
        String message = error.getMessage();
        if (message != null && message.startsWith("Currently not connected")) {
            return "not connected to the server (reconnecting; commands are rejected, not buffered, meanwhile)";
        }
        String root = Causes.rootMessage(error);
        return "connection unavailable: " + (root.equals(message) ? message : message + " (" + root + ")");
    }
}
