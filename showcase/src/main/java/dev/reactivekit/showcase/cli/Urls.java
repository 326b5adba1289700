package dev.reactivekit.showcase.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** URLs from the command line, checked before any work starts so a typo is a usage error (exit 2). */
public final class Urls {

    private Urls() {
    }

    /** {@code url} when it is an absolute http(s) URL with a host; a {@link UsageException} naming it otherwise. */
    public static String http(String url) {
        return check(url, "http", "https");
    }

    /** {@code url} when it is an absolute ws(s) URL with a host. */
    public static String ws(String url) {
        return check(url, "ws", "wss");
    }

    /** The schemes {@code RedisStore.connect} reads: Lettuce's, plus the cluster ones ReactiveKit adds. */
    private static final java.util.List<String> REDIS_SCHEMES = java.util.List.of("redis", "rediss", "redis-cluster",
            "rediss-cluster", "redis-sentinel", "rediss-sentinel", "redis-socket");

    /**
     * {@code url} when its scheme is one a Redis URL can have; a {@link UsageException} naming {@code option}
     * otherwise, before anything connects (the rest of the URL is the store's to read, and its errors are its own).
     */
    public static String redis(String option, String url) {
        int colon = url.indexOf("://");
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!REDIS_SCHEMES.contains(scheme)) {
            throw new UsageException(option + " must be a redis://, rediss:// or redis-cluster:// URL, not '" + url + "'");
        }
        return url;
    }

    private static String check(String url, String... schemes) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new UsageException("malformed URL '" + url + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!java.util.List.of(schemes).contains(scheme)) {
            throw new UsageException("malformed URL '" + url + "': use " + String.join(" or ",
                    java.util.Arrays.stream(schemes).map(s -> s + "://").toList()) + ", then host[:port]/path");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new UsageException("malformed URL '" + url + "': it names no host");
        }
        return uri.toString();
    }
}
