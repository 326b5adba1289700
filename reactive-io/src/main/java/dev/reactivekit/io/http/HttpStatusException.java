package dev.reactivekit.io.http;

import dev.reactivekit.core.StatusException;

/**
 * A server answered with a status other than 2xx. Carries the status, the URL and the beginning of the body;
 * {@link dev.reactivekit.core.Failures} treats 5xx (but 501, 505), 408 and 429 as transient, so the fetcher's
 * policy retries them, and every other status as permanent.
 */
public final class HttpStatusException extends StatusException {

    private static final long serialVersionUID = 1L;

    private final String url;
    private final String bodyExcerpt;

    public HttpStatusException(String method, String url, int status, String bodyExcerpt) {
        super(method + " " + url + " failed: HTTP " + status + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt), status);
        this.url = url;
        this.bodyExcerpt = bodyExcerpt;
    }

    public String url() {
        return url;
    }

    /** The first few hundred characters of the response body, as text. */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }
}
