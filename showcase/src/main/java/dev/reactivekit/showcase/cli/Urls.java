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

    private static String check(String url, String... schemes) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new UsageException("malformed URL '" + url + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!java.util.List.of(schemes).contains(scheme)) {
            throw new UsageException("malformed URL '" + url + "': use " + String.join(" or ", schemes) + "://host[:port]/path");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new UsageException("malformed URL '" + url + "': it names no host");
        }
        return uri.toString();
    }
}
