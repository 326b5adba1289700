package dev.reactivekit.showcase.crawl;

import java.util.LinkedHashMap;
import java.util.Map;

/** One line of the crawl's output: a page fetched (or that failed), as JSON. */
record PageRecord(String url, String finalUrl, Integer status, int depth, String title, int links, long bytes,
        long elapsedMs, String fetchedAt, String error, String errorKind) {

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("final_url", finalUrl);
        m.put("status", status);
        m.put("depth", depth);
        m.put("title", title);
        m.put("links", links);
        m.put("bytes", bytes);
        m.put("elapsed_ms", elapsedMs);
        m.put("fetched_at", fetchedAt);
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }
}
