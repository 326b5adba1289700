package dev.reactivekit.data.redis;

import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
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

    /**
     * Refuses what Lettuce would read too generously: a plain {@code redis://} or {@code rediss://} URL whose
     * authority is not host[:port] (Lettuce takes {@code host:notaport} for a host name and fails much later, in
     * DNS).
     */
    static void check(String url) {
        if (!(url.startsWith("redis://") || url.startsWith("rediss://"))) {
            return; // other schemes (sentinel, socket) are Lettuce's to read
        }
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getReason(), e);
        }
        if (parsed.getHost() == null) {
            String authority = String.valueOf(parsed.getRawAuthority());
            throw new IllegalArgumentException("expected host[:port] after the scheme, found '"
                    + authority.substring(authority.lastIndexOf('@') + 1) + "'");
        }
    }

    /**
     * What actually went wrong, for people: the first I/O error in the cause chain ("Connection refused",
     * "Failed to resolve 'nohost'"), else the innermost cause.
     */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            root = e;
            if (e instanceof IOException && e.getMessage() != null) {
                return e.getMessage();
            }
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
