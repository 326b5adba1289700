package dev.reactivekit.data.redis;

import dev.reactivekit.data.internal.Causes;
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

    private static boolean isDisconnected(String message) {
        return message.startsWith("Currently not connected") || message.startsWith("Connection closed")
                || message.startsWith("Connection is closed") || message.contains("Connection reset");
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
