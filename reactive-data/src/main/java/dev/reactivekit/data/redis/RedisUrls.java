package dev.reactivekit.data.redis;

import io.lettuce.core.RedisURI;
import java.util.stream.Collectors;

/** Redis URLs for messages: never with the password. */
final class RedisUrls {

    private RedisUrls() {
    }

    /** {@code url} with any password between {@code ://} and {@code @} replaced by {@code ***}. */
    static String mask(String url) {
        return url.replaceAll("(?<=://)[^@/]*@", "***@");
    }

    /** Scheme, host(s), port and database of {@code uri}, without credentials. */
    static String describe(RedisURI uri) {
        if (uri.getSocket() != null) {
            return "redis-socket://" + uri.getSocket();
        }
        if (!uri.getSentinels().isEmpty()) {
            return "redis-sentinel://" + uri.getSentinels().stream()
                    .map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(","))
                    + "/" + uri.getDatabase() + "#" + uri.getSentinelMasterId();
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    /** The innermost cause's message, which says what actually went wrong ("Connection refused"). */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
