package dev.reactivekit.data.redis;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Redis URLs for messages: never with the password. */
final class RedisUrls {

    private RedisUrls() {
    }

    /**
     * Reads {@code url}: whatever Lettuce's {@link RedisURI} reads ({@code redis://}, {@code rediss://},
     * {@code redis-sentinel://}, {@code redis-socket://}), plus {@code redis-cluster://} and
     * {@code rediss-cluster://} followed by {@code [[user]:password@]host:port[,host:port...]} seed nodes of a
     * Redis Cluster. Throws {@link IllegalArgumentException} saying what is wrong.
     */
    static RedisTarget parse(String url) {
        boolean cluster = url.startsWith("redis-cluster://") || url.startsWith("rediss-cluster://");
        if (!cluster) {
            check(url);
            RedisURI uri = RedisURI.create(url);
            return new RedisTarget(List.of(uri), false, describe(uri));
        }
        boolean tls = url.startsWith("rediss-");
        String rest = url.substring(url.indexOf("://") + 3);
        String userInfo = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question);
            rest = rest.substring(0, question);
        }
        if (rest.endsWith("/0") || rest.endsWith("/")) {
            rest = rest.substring(0, rest.lastIndexOf('/'));
        }
        if (rest.contains("/")) {
            throw new IllegalArgumentException("a Redis Cluster has database 0 only; leave the /db out");
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : rest.split(",")) {
            if (node.isBlank()) {
                throw new IllegalArgumentException("expected host:port[,host:port...] after the scheme");
            }
            String single = (tls ? "rediss://" : "redis://") + userInfo + node.strip() + query;
            check(single);
            seeds.add(RedisURI.create(single));
        }
        return new RedisTarget(List.copyOf(seeds), true, (tls ? "rediss-cluster://" : "redis-cluster://") + rest);
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
    private static void check(String url) {
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
}
