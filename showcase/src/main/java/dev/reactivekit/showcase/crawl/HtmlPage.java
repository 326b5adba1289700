package dev.reactivekit.showcase.crawl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.NodeTraversor;

/**
 * What the crawler takes from an HTML page (jsoup): its title and the links to follow: {@code a[href]} resolved
 * against the page (and its {@code <base href>}), without {@code rel=nofollow} ones, plus its canonical URL;
 * none at all when {@code <meta name=robots>} says {@code nofollow} (or {@code none}). At most
 * {@code maxLinks} links are kept, so a page of a million links costs a bounded amount.
 */
record HtmlPage(String title, List<String> links, boolean index, int linksSeen) {

    static HtmlPage parse(String html, String url, int maxLinks) {
        Document doc = Jsoup.parse(html, url);
        // One walk over the elements for the robots meta tags and the links (three selects walked it three times).
        List<String> robots = new ArrayList<>(1);
        List<Element> anchors = new ArrayList<>();
        NodeTraversor.traverse((node, depth) -> {
            if (node instanceof Element e) {
                switch (e.normalName()) {
                    case "meta" -> {
                        if (e.attr("name").equalsIgnoreCase("robots")) {
                            robots.add(e.attr("content").toLowerCase(Locale.ROOT));
                        }
                    }
                    case "a" -> {
                        if (e.hasAttr("href")) {
                            anchors.add(e);
                        }
                    }
                    case "link" -> {
                        if (e.hasAttr("href") && e.attr("rel").equalsIgnoreCase("canonical")) {
                            anchors.add(e);
                        }
                    }
                    default -> {
                    }
                }
            }
        }, doc);
        String directives = String.join(",", robots);
        boolean follow = !directives.contains("nofollow") && !directives.contains("none");
        boolean index = !directives.contains("noindex") && !directives.contains("none");
        Set<String> links = new LinkedHashSet<>(Math.max(16, Math.min(anchors.size(), maxLinks) * 2));
        int seen = 0;
        if (follow) {
            String base = doc.baseUri();
            String origin = origin(base);
            for (Element a : anchors) {
                seen++;
                if (a.normalName().equals("a") && a.attr("rel").toLowerCase(Locale.ROOT).contains("nofollow")) {
                    continue;
                }
                String href = resolve(base, origin, a.attr("href"));
                if (href != null && links.size() < maxLinks) {
                    links.add(href);
                }
            }
        }
        return new HtmlPage(doc.title(), new ArrayList<>(links), index, seen);
    }

    /** {@code scheme://authority} of an absolute URL, as written; null when it has none. */
    static String origin(String base) {
        int scheme = base.indexOf("://");
        if (scheme <= 0) {
            return null;
        }
        int path = base.indexOf('/', scheme + 3);
        int query = base.indexOf('?', scheme + 3);
        int fragment = base.indexOf('#', scheme + 3);
        int end = base.length();
        for (int at : new int[] {path, query, fragment}) {
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return base.substring(0, end);
    }

    /**
     * {@code href} resolved against the page's base URI (whose {@link #origin} is given), as jsoup's
     * {@code absUrl} does but without its per-link regular expressions (most of a crawl's CPU time): absolute and
     * root-relative links, the usual ones, are joined as text; others go through {@link java.net.URI#resolve}.
     * Null when it cannot be resolved.
     */
    static String resolve(String base, String origin, String href) {
        String link = strip(href);
        if (link.isEmpty()) {
            return null;
        }
        if (link.regionMatches(true, 0, "http://", 0, 7) || link.regionMatches(true, 0, "https://", 0, 8)) {
            return link;
        }
        if (origin != null && link.charAt(0) == '/' && (link.length() == 1 || link.charAt(1) != '/')) {
            return origin + link;
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
