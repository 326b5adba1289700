package dev.reactivekit.showcase.crawl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What the crawler takes from an HTML page (jsoup): its title and the links to follow: {@code a[href]} resolved
 * against the page (and its {@code <base href>}), without {@code rel=nofollow} ones, plus its canonical URL;
 * none at all when {@code <meta name=robots>} says {@code nofollow} (or {@code none}). At most
 * {@code maxLinks} links are kept, so a page of a million links costs a bounded amount.
 */
record HtmlPage(String title, List<String> links, boolean index, int linksSeen) {

    static HtmlPage parse(String html, String url, int maxLinks) {
        Document doc = Jsoup.parse(html, url);
        String robots = doc.select("meta[name=robots]").eachAttr("content").stream()
                .map(c -> c.toLowerCase(Locale.ROOT)).reduce("", (a, b) -> a + "," + b);
        boolean follow = !robots.contains("nofollow") && !robots.contains("none");
        boolean index = !robots.contains("noindex") && !robots.contains("none");
        Set<String> links = new LinkedHashSet<>();
        int seen = 0;
        if (follow) {
            for (Element a : doc.select("a[href], link[rel=canonical][href]")) {
                seen++;
                if (a.tagName().equals("a") && a.attr("rel").toLowerCase(Locale.ROOT).contains("nofollow")) {
                    continue;
                }
                String href = resolve(doc.baseUri(), a.attr("href"));
                if (href != null && links.size() < maxLinks) {
                    links.add(href);
                }
            }
        }
        return new HtmlPage(doc.title(), new ArrayList<>(links), index, seen);
    }

    /**
     * {@code href} resolved against the page's base URI, as jsoup's {@code absUrl} does but without its
     * per-link regular expressions (most of a crawl's CPU time): absolute and root-relative links, the usual
     * ones, are joined as text; others go through {@link java.net.URI#resolve}. Null when it cannot be resolved.
     */
    static String resolve(String base, String href) {
        String link = strip(href);
        if (link.isEmpty()) {
            return null;
        }
        String lower = link.length() >= 8 ? link.substring(0, 8).toLowerCase(Locale.ROOT) : link.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return link;
        }
        if (link.charAt(0) == '/' && (link.length() == 1 || link.charAt(1) != '/')) {
            int scheme = base.indexOf("://");
            int path = scheme < 0 ? -1 : base.indexOf('/', scheme + 3);
            if (scheme > 0) {
                return (path < 0 ? base : base.substring(0, path)) + link;
            }
        }
        try {
            return java.net.URI.create(base).resolve(link.replace(" ", "%20")).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Without the whitespace and control characters browsers drop from an href. */
    private static String strip(String href) {
        int start = 0;
        int end = href.length();
        while (start < end && href.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && href.charAt(end - 1) <= ' ') {
            end--;
        }
        String trimmed = href.substring(start, end);
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < ' ' || c == 0x7f) {
                StringBuilder b = new StringBuilder(trimmed.length());
                for (char k : trimmed.toCharArray()) {
                    if (k >= ' ' && k != 0x7f) {
                        b.append(k);
                    }
                }
                return b.toString();
            }
        }
        return trimmed;
    }
}
