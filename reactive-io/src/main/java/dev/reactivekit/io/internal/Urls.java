package dev.reactivekit.io.internal;

import dev.reactivekit.io.http.InvalidUrlException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Checks URLs before anything is looked up or connected: absolute, one of the expected schemes, a host, a port in
 * range. A malformed URL fails with an {@link InvalidUrlException} naming it, never as a relative reference
 * whose first segment is taken for a host ({@code ws//missing-colon} looked up the host "ws"). Internal.
 */
public final class Urls {

    public static final Set<String> HTTP = Set.of("http", "https");
    public static final Set<String> WEBSOCKET = Set.of("ws", "wss");

    private Urls() {
    }

    /** {@code url} as a URI with one of {@code schemes}, a host and a valid port, or an {@link InvalidUrlException}. */
    public static URI parse(String url, Set<String> schemes) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidUrlException("malformed URL '" + url + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            String expected = String.join(" and ", schemes.stream().sorted().toList());
            throw new InvalidUrlException((scheme.isEmpty() ? "malformed URL '" : "unsupported URL '") + url
                    + "': only absolute " + expected + " URLs can be used here", null);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidUrlException("malformed URL '" + url + "': no host", null);
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new InvalidUrlException("malformed URL '" + url + "': port " + uri.getPort()
                    + " is out of range (1-65535)", null);
        }
        return uri;
    }

    /** The host and port a connection goes to, lower case, the scheme's default port filled in. */
    public static String hostKey(URI uri) {
        int port = uri.getPort();
        if (port == -1) {
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            port = scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
        }
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** {@link #hostKey} of an http(s) URL, or the URL itself when it is malformed. */
    public static String hostKeyOrSelf(String url) {
        try {
            return hostKey(parse(url, HTTP));
        } catch (InvalidUrlException e) {
            return url;
        }
    }
}
