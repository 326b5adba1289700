package dev.reactivekit.io.http;

import dev.reactivekit.core.internal.Checks;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * One HTTP request to send with {@link HttpFetcher#send}: method, URL, headers, body and per-request
 * overrides. Immutable; every setter returns a copy.
 *
 * <pre>{@code
 * HttpRequest request = HttpRequest.post("http://127.0.0.1:8080/submit", RequestBody.json(Map.of("key", "value")))
 *     .header("X-Request-Id", id)
 *     .timeout(Duration.ofSeconds(5));
 * }</pre>
 */
public final class HttpRequest {

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final String method;
    private final String url;
    private final Headers headers;
    private final RequestBody body;
    private final Duration timeout;
    private final boolean raw;
    private final Boolean retryable;

    private HttpRequest(String method, String url, Headers headers, RequestBody body, Duration timeout, boolean raw,
            Boolean retryable) {
        this.method = method;
        this.url = url;
        this.headers = headers;
        this.body = body;
        this.timeout = timeout;
        this.raw = raw;
        this.retryable = retryable;
    }

    /** A request with any method; the URL is checked when the request is sent, as an error signal. */
    public static HttpRequest of(String method, String url) {
        Checks.notNull(method, "method");
        Checks.notNull(url, "url");
        return new HttpRequest(method.toUpperCase(Locale.ROOT), url, Headers.empty(), null, null, false, null);
    }

    public static HttpRequest get(String url) {
        return of("GET", url);
    }

    public static HttpRequest head(String url) {
        return of("HEAD", url);
    }

    public static HttpRequest delete(String url) {
        return of("DELETE", url);
    }

    public static HttpRequest post(String url, RequestBody body) {
        return of("POST", url).body(body);
    }

    public static HttpRequest put(String url, RequestBody body) {
        return of("PUT", url).body(body);
    }

    /** A copy with {@code value} added to header {@code name}. */
    public HttpRequest header(String name, String value) {
        return new HttpRequest(method, url, headers.with(name, value), body, timeout, raw, retryable);
    }

    /** A copy that sends {@code body}. */
    public HttpRequest body(RequestBody body) {
        return new HttpRequest(method, url, headers, Checks.notNull(body, "body"), timeout, raw, retryable);
    }

    /** A copy whose attempts each have {@code timeout} (> 0) in all, body included (aiohttp's {@code total}). */
    public HttpRequest timeout(Duration timeout) {
        return new HttpRequest(method, url, headers, body, Checks.positive(timeout, "timeout"), raw, retryable);
    }

    /** A copy that returns any status as a result instead of failing with {@link HttpStatusException}. */
    public HttpRequest raw() {
        return new HttpRequest(method, url, headers, body, timeout, true, retryable);
    }

    /**
     * A copy that is (or is not) retried on transient failures whatever its method. By default only idempotent
     * methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are retried, and never a request with a stream body.
     */
    public HttpRequest retryable(boolean retryable) {
        return new HttpRequest(method, url, headers, body, timeout, raw, retryable);
    }

    public String method() {
        return method;
    }

    public String url() {
        return url;
    }

    public Headers headers() {
        return headers;
    }

    /** The body, or {@code null}. */
    public RequestBody body() {
        return body;
    }

    /** The per-attempt timeout, or {@code null} for the fetcher's. */
    public Duration timeout() {
        return timeout;
    }

    public boolean isRaw() {
        return raw;
    }

    /** Whether a transient failure may be retried: idempotent method and replayable body, unless overridden. */
    public boolean isRetryable() {
        if (body instanceof RequestBody.Stream) {
            return false;
        }
        return retryable != null ? retryable : IDEMPOTENT.contains(method);
    }

    /** Whether the method is idempotent, so a request that may have reached the server can be sent again. */
    public boolean isIdempotent() {
        return IDEMPOTENT.contains(method) && !(body instanceof RequestBody.Stream);
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}
