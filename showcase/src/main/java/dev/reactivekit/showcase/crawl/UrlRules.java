package dev.reactivekit.showcase.crawl;

import crawlercommons.filters.basic.BasicURLNormalizer;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which URLs a crawl follows, in their one normal form (crawler-commons' basic normalizer: scheme and host
 * lower case, default ports dropped, fragments removed, {@code ..} resolved, query kept in order): http(s) only,
 * on the seeds' hosts (or the allowed domains and their subdomains, or any host), matching {@code --include} and not
 * {@code --exclude}.
 */
final class UrlRules {

    private final BasicURLNormalizer normalizer = new BasicURLNormalizer();
    private final Set<String> hosts;
    private final List<String> domains;
    private final Pattern include;
    private final Pattern exclude;

    /** {@code allowDomains}: empty for the seeds' hosts only, null for any host. */
    UrlRules(Set<String> seedHosts, List<String> allowDomains, Pattern include, Pattern exclude) {
        this.hosts = Set.copyOf(seedHosts);
        this.domains = allowDomains == null ? null : allowDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        this.include = include;
        this.exclude = exclude;
    }

    /** The normal form of {@code url}; null when it is not an http(s) URL that can be normalized. */
    String normalize(String url) {
        String normal = normalizer.filter(url);
        if (normal == null) {
            return null;
        }
        String lower = normal.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://") ? normal : null;
    }

    /** Whether a normalized URL is in the crawl's scope. */
    boolean allows(String normalUrl) {
        String host = host(normalUrl);
        if (host == null) {
            return false;
        }
        // Domains are names, whatever the port; the seeds' hosts are host:port, as the links name them.
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.indexOf(':') >= 0 ? host.substring(0, host.indexOf(':')) : host;
        boolean hostOk = domains == null || (domains.isEmpty() ? hosts.contains(host)
                : domains.stream().anyMatch(d -> name.equals(d) || name.endsWith("." + d)));
        return hostOk && (include == null || include.matcher(normalUrl).find())
                && (exclude == null || !exclude.matcher(normalUrl).find());
    }

    /** {@code host[:port]} of a URL, lower case; null when it has none. */
    static String host(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return null;
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code scheme://host[:port]} of a URL. */
    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + host(url);
    }
}
