package dev.reactivekit.io.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.Outcome;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.PoolStats;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.Tasks;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.core.internal.Drain;
import dev.reactivekit.io.internal.Downloads;
import dev.reactivekit.io.internal.FileChannels;
import dev.reactivekit.io.internal.HandlerHalt;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.NetworkTransport;
import dev.reactivekit.io.internal.TlsContexts;
import dev.reactivekit.io.internal.Urls;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * An HTTP client with safe defaults, as aiohttp's {@code ClientSession}: create one, share it, close it at the
 * end.
 *
 * <pre>{@code
 * HttpFetcher http = HttpFetcher.builder()
 *     .maxConnections(100).maxConnectionsPerHost(10)            // aiohttp limit, limit_per_host
 *     .connectTimeout(Duration.ofSeconds(2)).totalTimeout(Duration.ofSeconds(10))
 *     .build();
 * Mono<Map> json = http.get("https://api.example.com/data").map(r -> r.json(Map.class));
 * Flux<Outcome<FetchResult>> all = http.fetchAll(urls, Concurrency.limit(50));   // every URL gets an Outcome
 * http.close().block();
 * }</pre>
 *
 * <h2>Limits and timeouts</h2>
 * Every default is in a {@code DEFAULT_*} constant. At most {@link Builder#maxConnectionsPerHost} connections
 * are open to one host and {@link Builder#maxConnections} in all. A request waits for a connection at most
 * {@link Builder#maxWait} (both limits together), then fails with a {@link PoolTimeoutException} naming
 * the limit it waited for; at most {@link Builder#maxWaiters} requests wait, beyond which they fail at
 * once with a {@link PoolTimeoutException} naming that setting. A request cancelled while it waits leaves the
 * queue at once. Idle connections close after {@link Builder#maxIdleTime} and every connection after
 * {@link Builder#maxLifeTime}, checked in the background; a host's pool unused for
 * {@link Builder#hostPoolIdleTime} is disposed with its metrics. A request fails when connecting takes longer
 * than the connect timeout, when the response does not start within the response timeout, when the body
 * stalls for the read timeout (aiohttp's {@code sock_read}), and when the whole attempt exceeds the total
 * timeout (aiohttp's {@code total}). Bodies larger than {@link Builder#maxBodySize} fail with a
 * {@link dev.reactivekit.core.LimitExceededException} as soon as the limit is crossed.
 *
 * <h2>Policy, deadline, statuses and results</h2>
 * A status other than 2xx fails with {@link HttpStatusException} (status, URL, start of the body) unless the
 * request is {@link HttpRequest#raw() raw}. Every request, stream and download runs under the fetcher's
 * {@link Policy}, all of it: its per-attempt timeout (by default the total timeout), its retry (by default up
 * to 3 attempts with exponential backoff, for idempotent requests only, and only on transient failures:
 * connection errors, timeouts, 5xx, 408, 429, never 4xx; a stream or download only before its first chunk), its
 * deadline and its concurrency limit. A {@link dev.reactivekit.core.Deadline} in the subscriber's context caps
 * all of it, the wait for a connection included, and a request whose deadline has passed fails before it takes
 * a connection. A request that went out on a pooled connection the server had just closed, and got no answer,
 * is resent once at once on another connection. Redirects are followed (at most {@link Builder#maxRedirects});
 * responses are decompressed. {@link FetchResult} tells the final URL, the time taken and the attempts made.
 *
 * <h2>Sharing and closing</h2>
 * Immutable and thread-safe. {@link #toBuilder()} makes a variant that shares this fetcher's connections as
 * long as no pool setting changes (the limits, idle and life times, connect timeout, DNS cache and TLS settings;
 * the response and read timeouts, redirects, headers, body size and the policy may change). The connections are
 * reference-counted: {@link #close()} makes this fetcher refuse new requests at once with a
 * {@link ClientClosedException}, and closes the connections when the last fetcher sharing them is closed
 * (aborting what is still in flight then); variants still open keep working.
 */
public final class HttpFetcher implements AsyncCloseable {

    public static final int DEFAULT_MAX_CONNECTIONS = 100;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 50;
    public static final int DEFAULT_MAX_WAITERS = 500;
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(20);
    public static final Duration DEFAULT_MAX_LIFE_TIME = Duration.ofMinutes(5);
    public static final Duration DEFAULT_EVICTION_INTERVAL = Duration.ofSeconds(10);
    /** Default time after which a host's pool with no connection in use or idle is disposed: 1 minute. */
    public static final Duration DEFAULT_HOST_POOL_IDLE_TIME = Duration.ofMinutes(1);
    public static final Duration DEFAULT_DNS_CACHE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_REDIRECTS = 10;
    public static final long DEFAULT_MAX_BODY_SIZE = 16L * 1024 * 1024;
    public static final String DEFAULT_USER_AGENT = "ReactiveKit/0.1";
    /** Default retry: 3 attempts, 200 ms then 400 ms apart (with 50% jitter), on transient failures. */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.exponential(Duration.ofMillis(200)).maxAttempts(3);
    /** Default policy: each attempt bounded by {@link #DEFAULT_TOTAL_TIMEOUT}, retried as {@link #DEFAULT_RETRY}. */
    public static final Policy DEFAULT_POLICY = Policy.builder().timeout(DEFAULT_TOTAL_TIMEOUT).retry(DEFAULT_RETRY).build();

    private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);

    private final Builder settings;
    private final SharedPool pool;
    private final Exchange exchange;
    private final Policy policy;
    private final Policy once;
    private final FileChannels files;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Fired when a close's grace has run out: the requests still in flight are cut short. */
    private final HandlerHalt halt = new HandlerHalt();
    private final AtomicBoolean warnedAboutLimits = new AtomicBoolean();

    private HttpFetcher(Builder b, SharedPool pool) {
        this.settings = b.copy();
        NetworkTransport.name();
        this.pool = pool;
        this.name = "HttpFetcher " + pool.name;
        this.exchange = new Exchange(requests(b, pool.client), b.mapper, b.maxBodySize,
                new NetErrors.Limits(b.connectTimeout, b.responseTimeout, b.readTimeout, b.maxWait,
                        b.maxConnectionsPerHost));
        this.policy = b.policy;
        this.once = policy.toBuilder().retry(RetryPolicy.none()).build();
        this.files = FileChannels.shared();
    }

    /** The client that opens connections: only the settings Reactor Netty keys its pools by. */
    private static HttpClient connecting(Builder b, ConnectionProvider provider) {
        HttpClient client = HttpClient.create(provider)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) b.connectTimeout.toMillis())
                .option(ChannelOption.SO_KEEPALIVE, true)
                .compress(true)
                .resolver(spec -> spec.cacheMaxTimeToLive(b.dnsCacheTtl).cacheNegativeTimeToLive(Duration.ofSeconds(1)));
        if (b.tls != null) {
            client = client.secure(spec -> spec.sslContext(TlsContexts.client(b.tls)));
        }
        return client;
    }

    /** This fetcher's requests over the pool's client: settings that leave the pools as they are. */
    private static HttpClient requests(Builder b, HttpClient connecting) {
        return connecting
                .followRedirect((req, res) -> isRedirect(res.status().code()) && req.redirectedFrom().length < b.maxRedirects)
                .headers(h -> {
                    h.set(HttpHeaderNames.USER_AGENT, b.userAgent);
                    b.defaultHeaders.asMap().forEach(h::set);
                })
                .doOnRequest((req, connection) -> Exchange.onRequest(req, connection, b.responseTimeout, b.readTimeout))
                .doOnResponse(Exchange::onResponse);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** A fetcher with every default. */
    public static HttpFetcher create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this fetcher's settings, sharing its connections unless a pool setting changes. */
    public Builder toBuilder() {
        Builder b = settings.copy();
        b.origin = this;
        return b;
    }

    // ------------------------------------------------------------------ requests

    public Mono<FetchResult> get(String url) {
        return send(HttpRequest.get(url));
    }

    public Mono<FetchResult> head(String url) {
        return send(HttpRequest.head(url));
    }

    public Mono<FetchResult> delete(String url) {
        return send(HttpRequest.delete(url));
    }

    public Mono<FetchResult> post(String url, RequestBody body) {
        return send(HttpRequest.post(url, body));
    }

    public Mono<FetchResult> put(String url, RequestBody body) {
        return send(HttpRequest.put(url, body));
    }

    /**
     * Sends {@code request} under the fetcher's policy and reads the whole response. Emits the result, or
     * errors with {@link HttpStatusException}, {@link InvalidUrlException}, a timeout, a
     * {@link PoolTimeoutException}, a {@link dev.reactivekit.io.NetworkException}, a
     * {@link dev.reactivekit.core.RetriesExhaustedException} or, once closed, a {@link ClientClosedException}.
     * Nothing is sent before subscription; cancelling aborts the request and frees its connection.
     */
    public Mono<FetchResult> send(HttpRequest request) {
        Checks.notNull(request, "request");
        return Mono.defer(() -> {
            URI uri = Urls.parse(request.url(), Urls.HTTP);
            long start = System.nanoTime();
            String op = request.toString();
            return halt.guard(policyFor(request).execute(op, attempt -> open(op).then(
                    pool.limits.within(op, Urls.hostKey(uri), exchange.fetch(request, uri, start))
                            .map(result -> result.withAttempts(attempt)))), () -> closedError(op));
        });
    }

    /**
     * The response body of {@code request} as it arrives, in chunks that belong to the subscriber, without a size
     * limit (a status other than 2xx fails first, unless the request is raw). Runs under the policy: its
     * per-attempt timeout bounds the whole transfer (raise it, or set {@link HttpRequest#timeout}, for big
     * bodies), and it is retried only if it failed before its first chunk. Cancelling aborts the transfer and
     * frees the connection.
     */
    public Flux<ByteBuffer> stream(HttpRequest request) {
        Checks.notNull(request, "request");
        return Flux.defer(() -> {
            URI uri = Urls.parse(request.url(), Urls.HTTP);
            String op = request.toString();
            return halt.guard(policyFor(request).apply(op, open(op).thenMany(
                    pool.limits.within(op, Urls.hostKey(uri), exchange.stream(request, uri)))), () -> closedError(op));
        });
    }

    /**
     * Fetches every URL and emits one {@link Outcome} per URL in input order, each labelled with its URL (the
     * seeds' {@code fetch_batch}, aiohttp's {@code gather} over a session). Nothing is cancelled when one fails;
     * a malformed URL is a failure naming it.
     * <p>
     * {@code concurrency} says how many run at once in all and, for a per-key spec, per key (build it with
     * {@link #hostOf} as the key for a limit per host); without a per-key limit, the fetcher's
     * {@link Builder#maxConnectionsPerHost} applies per host. The fetcher's pool bounds it too: at most
     * {@link Builder#maxConnections} run at once and {@link Builder#maxConnectionsPerHost} per host, as with
     * aiohttp's {@code limit} and {@code limit_per_host}. When the pool bounds what was asked, the fetcher says so
     * once, as a WARN naming the settings to raise; {@link #limitsFor} tells the limits that apply.
     */
    public Flux<Outcome<FetchResult>> fetchAll(Iterable<String> urls, Concurrency<? super String> concurrency) {
        Checks.notNull(urls, "urls");
        Checks.notNull(concurrency, "concurrency");
        FetchLimits limits = limitsFor(concurrency);
        if (limits.isBounded() && warnedAboutLimits.compareAndSet(false, true)) {
            log.warn("{}: fetchAll {}", name, limits.describe());
        }
        // Per host even where the limit per host is the total: the per-key fan-out keeps 4x the limit subscribed,
        // ready for the next free connection, where a plain flatMap refills only in batches (about 10% faster).
        Concurrency<? super String> applied = concurrency.isPerKey()
                ? concurrency.limitedTo(limits.allowed(), limits.allowedPerHost())
                : Concurrency.perKey(limits.allowed(), HttpFetcher::hostOf, limits.allowedPerHost());
        return Tasks.settled(Flux.fromIterable(urls), this::get, applied);
    }

    /** How many requests {@link #fetchAll} runs at once with {@code concurrency} on this fetcher's pool. */
    public FetchLimits limitsFor(Concurrency<?> concurrency) {
        Checks.notNull(concurrency, "concurrency");
        int requested = concurrency.maxConcurrency();
        int requestedPerHost = concurrency.isPerKey() ? concurrency.maxPerKey() : requested;
        int allowed = Math.min(requested, settings.maxConnections);
        int allowedPerHost = Math.min(Math.min(requestedPerHost, settings.maxConnectionsPerHost), allowed);
        return new FetchLimits(requested, requestedPerHost, allowed, allowedPerHost, settings.maxConnections,
                settings.maxConnectionsPerHost);
    }

    /**
     * The host and port of {@code url} as the fetcher's per-host limits count them ({@code "example.com:443"}),
     * for a per-host {@link Concurrency}: {@code Concurrency.perKey(200, HttpFetcher::hostOf, 8)}. A malformed
     * URL is its own key (its request fails on its own).
     */
    public static String hostOf(String url) {
        return Urls.hostKeyOrSelf(url);
    }

    /**
     * Downloads {@code url} to {@code target}; see {@link #download(HttpRequest, Path)}.
     */
    public Flux<DownloadProgress> download(String url, Path target) {
        Checks.notNull(url, "url");
        return download(HttpRequest.get(url), target);
    }

    /**
     * Downloads the body of {@code request} to {@code target}, streaming (never holding the body in memory), and
     * emits progress after every chunk written, then a last event with {@link DownloadProgress#done()} once the
     * file is complete and moved into place. Until then the bytes are in a temporary file next to the target: a
     * failed or cancelled download leaves no file at the target and deletes the temporary one. Runs under the
     * policy as {@link #stream} does (retried only before the first chunk). A file that cannot be written fails
     * with a {@link dev.reactivekit.io.file.FileException}, not a network error.
     */
    public Flux<DownloadProgress> download(HttpRequest request, Path target) {
        return download(request, target, DownloadOptions.defaults());
    }

    /**
     * {@link #download(HttpRequest, Path)} with {@code options}: with {@link DownloadOptions#resume()}, the bytes
     * go to {@code .NAME.part} beside the target, kept when the download fails or is cancelled, and a later
     * download continues from them with a {@code Range} request; progress then counts from the bytes already
     * there.
     */
    public Flux<DownloadProgress> download(HttpRequest request, Path target, DownloadOptions options) {
        Checks.notNull(request, "request");
        Checks.notNull(target, "target");
        Checks.notNull(options, "options");
        Path partial = options.resume() ? target.resolveSibling("." + target.getFileName() + ".part") : null;
        return downloadTo(request, response -> target, partial);
    }

    /**
     * Downloads the body of {@code request} into {@code directory}, as a file named by the response's
     * {@code Content-Disposition} ({@code filename*} first), else by the URL's last path segment, else
     * {@code index.html}: the name is refused with an {@link UnsafeFileNameException}, before anything is written,
     * unless it is a plain file name (no directory in it, no NUL or control characters, no name the file system
     * reserves), so nothing is ever written outside {@code directory}. An existing file of that name is replaced
     * once the download is complete. Otherwise as {@link #download(HttpRequest, Path, DownloadOptions)}; a
     * resumable download keeps its bytes in {@code .download-HASH.part}, named from the URL.
     */
    public Flux<DownloadProgress> downloadInto(HttpRequest request, Path directory, DownloadOptions options) {
        Checks.notNull(request, "request");
        Checks.notNull(directory, "directory");
        Checks.notNull(options, "options");
        Path partial = options.resume() ? DownloadNames.partial(directory, request.url()) : null;
        return Flux.defer(() -> {
            URI uri = Urls.parse(request.url(), Urls.HTTP);
            return downloadTo(request, response -> DownloadNames.target(directory,
                    response.responseHeaders().get(HttpHeaderNames.CONTENT_DISPOSITION), uri, request.toString()), partial);
        });
    }

    /** A download to where {@code target} says once the response is in; resumable when {@code partial} is given. */
    private Flux<DownloadProgress> downloadTo(HttpRequest request,
            Function<HttpClientResponse, Path> target, Path partial) {
        if (partial == null) {
            return Flux.defer(() -> fetchInto(request, (response, body) ->
                    Downloads.save(body, contentLength(response), target.apply(response), files)));
        }
        return files.offload(() -> Files.exists(partial) ? Files.size(partial) : 0L)
                .flatMapMany(offset -> resumeFrom(request, target, partial, offset));
    }

    private Flux<DownloadProgress> resumeFrom(HttpRequest request,
            Function<HttpClientResponse, Path> target, Path partial,
            long offset) {
        HttpRequest ranged = offset > 0 ? request.header("Range", "bytes=" + offset + "-") : request;
        Flux<DownloadProgress> attempt = fetchInto(ranged, (response, body) -> {
            // 206 from where the partial file ends: append; anything else is the whole body: start over.
            long from = offset > 0 && response.status().code() == 206 && rangeStart(response) == offset ? offset : 0;
            long total = from > 0 ? rangeTotal(response) : contentLength(response);
            return Downloads.resume(body, from, total, partial, target.apply(response), files);
        });
        if (offset == 0) {
            return attempt;
        }
        // The server refuses the range (the partial file is stale or already whole): start over.
        return attempt.onErrorResume(e -> e instanceof HttpStatusException s && s.status() == 416,
                e -> files.offload(() -> Files.deleteIfExists(partial))
                        .thenMany(resumeFrom(request, target, partial, 0)));
    }

    private Flux<DownloadProgress> fetchInto(HttpRequest request, BiFunction<
            HttpClientResponse, Flux<ByteBuffer>, Publisher<DownloadProgress>> save) {
        return Flux.defer(() -> {
            URI uri = Urls.parse(request.url(), Urls.HTTP);
            String op = request.toString();
            return halt.guard(policyFor(request).apply(op, open(op).thenMany(pool.limits.within(op, Urls.hostKey(uri),
                    exchange.respond(request, uri, (response, body) -> {
                        try {
                            return save.apply(response, body);
                        } catch (RuntimeException e) {
                            // Refused before reading (an unsafe file name): the body is subscribed and cancelled,
                            // so Netty releases what it holds of it.
                            return body.take(1).then(Mono.error(e));
                        }
                    })))), () -> closedError(op));
        });
    }

    private static long contentLength(HttpClientResponse response) {
        String length = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The first byte of {@code Content-Range: bytes FIRST-LAST/TOTAL}; -1 when absent or malformed. */
    private static long rangeStart(HttpClientResponse response) {
        String range = response.responseHeaders().get(HttpHeaderNames.CONTENT_RANGE);
        if (range == null || !range.startsWith("bytes ") || range.indexOf('-') < 0) {
            return -1;
        }
        try {
            return Long.parseLong(range.substring(6, range.indexOf('-')).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** TOTAL of {@code Content-Range: bytes FIRST-LAST/TOTAL}; -1 when unknown ({@code *}). */
    private static long rangeTotal(HttpClientResponse response) {
        String range = response.responseHeaders().get(HttpHeaderNames.CONTENT_RANGE);
        int slash = range == null ? -1 : range.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Long.parseLong(range.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A snapshot of the connections, summed over every host: in use, idle, requests waiting for one, and the
     * most there may be ({@code maxConnections}). Variants made with {@link #toBuilder()} share it.
     */
    public PoolStats poolStats() {
        return pool.metrics.snapshot(pool.limits.waiting(), pool.limits.maxConnections());
    }

    /** Hosts with a connection pool now; a host not talked to for {@code hostPoolIdleTime} loses its pool. */
    public int hostPools() {
        return pool.metrics.pools();
    }

    /**
     * Refuses new requests from now on (with a {@link ClientClosedException}), cancels this fetcher's requests
     * still in flight (they fail with a {@link ClientClosedException}) and gives back its share of the
     * connections; the connections close when the last fetcher sharing them is closed. Idempotent.
     */
    @Override
    public Mono<Void> close() {
        return close(Duration.ZERO);
    }

    /**
     * Refuses new requests from now on (with a {@link ClientClosedException}), lets the requests in flight
     * finish within {@code grace} (it watches the connections in use, shared with the fetchers made by
     * {@link #toBuilder()}), then does as {@link #close()} does. Idempotent.
     */
    @Override
    public Mono<Void> close(Duration grace) {
        Checks.notNegative(grace, "grace");
        return Mono.defer(() -> {
            if (!closed.compareAndSet(false, true)) {
                return Mono.empty();
            }
            Mono<Void> drained = grace.isZero() ? Mono.empty() : Drain.until(() -> poolStats().inUse() == 0, grace);
            return drained.then(Mono.fromRunnable(halt::fire)).then(pool.release());
        });
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return name + (closed.get() ? " (closed)" : "");
    }

    /** Completes if the fetcher may still send; a closed one fails, naming itself and the request. */
    private Mono<Void> open(String operation) {
        return closed.get() ? Mono.error(closedError(operation)) : Mono.empty();
    }

    private ClientClosedException closedError(String operation) {
        return new ClientClosedException(name, operation);
    }

    private Policy policyFor(HttpRequest request) {
        Policy p = request.isRetryable() ? policy : once;
        return request.timeout() == null ? p : p.toBuilder().timeout(request.timeout()).build();
    }

    /** Builds an {@link HttpFetcher}; every setting has a {@code DEFAULT_*}. */
    public static final class Builder implements Cloneable {
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerHost = DEFAULT_MAX_CONNECTIONS_PER_HOST;
        private int maxWaiters = DEFAULT_MAX_WAITERS;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private Duration maxIdleTime = DEFAULT_MAX_IDLE_TIME;
        private Duration maxLifeTime = DEFAULT_MAX_LIFE_TIME;
        private Duration evictionInterval = DEFAULT_EVICTION_INTERVAL;
        private Duration hostPoolIdleTime = DEFAULT_HOST_POOL_IDLE_TIME;
        private Duration dnsCacheTtl = DEFAULT_DNS_CACHE_TTL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private String userAgent = DEFAULT_USER_AGENT;
        private Headers defaultHeaders = Headers.empty();
        private Policy policy = DEFAULT_POLICY;
        private ClientTls tls;
        private ObjectMapper mapper = new ObjectMapper();
        private HttpFetcher origin;
        private boolean poolChanged;

        private Builder() {
        }

        /** Connections open at once in all hosts together (> 0; aiohttp {@code limit}; default 100). */
        public Builder maxConnections(int n) {
            this.maxConnections = Checks.positive(n, "maxConnections");
            poolChanged = true;
            return this;
        }

        /** Connections open at once to one host (> 0; aiohttp {@code limit_per_host}; default 50). */
        public Builder maxConnectionsPerHost(int n) {
            this.maxConnectionsPerHost = Checks.positive(n, "maxConnectionsPerHost");
            poolChanged = true;
            return this;
        }

        /** Requests allowed to wait for a connection (>= 0; default 500); more fail at once. */
        public Builder maxWaiters(int n) {
            this.maxWaiters = Checks.notNegative(n, "maxWaiters");
            poolChanged = true;
            return this;
        }

        /** Longest wait for a pooled connection (> 0; default 5 s). */
        public Builder maxWait(Duration d) {
            this.maxWait = Checks.positive(d, "maxWait");
            poolChanged = true;
            return this;
        }

        /** Idle connections are closed after this (> 0; default 20 s, below most servers' keep-alive). */
        public Builder maxIdleTime(Duration d) {
            this.maxIdleTime = Checks.positive(d, "maxIdleTime");
            poolChanged = true;
            return this;
        }

        /** Connections are closed after this age (> 0; default 5 min), so DNS changes are picked up. */
        public Builder maxLifeTime(Duration d) {
            this.maxLifeTime = Checks.positive(d, "maxLifeTime");
            poolChanged = true;
            return this;
        }

        /** How often idle and old connections, and unused hosts' pools, are looked for (> 0; default 10 s). */
        public Builder evictionInterval(Duration d) {
            this.evictionInterval = Checks.positive(d, "evictionInterval");
            poolChanged = true;
            return this;
        }

        /**
         * A host's pool with no connection in use or idle for this long is disposed, its metrics with it (> 0;
         * default 1 min), so a crawl over many hosts keeps only the pools of hosts it is talking to.
         */
        public Builder hostPoolIdleTime(Duration d) {
            this.hostPoolIdleTime = Checks.positive(d, "hostPoolIdleTime");
            poolChanged = true;
            return this;
        }

        /** How long resolved host names are cached (> 0; aiohttp {@code ttl_dns_cache}; default 10 s). */
        public Builder dnsCacheTtl(Duration d) {
            this.dnsCacheTtl = Checks.positive(d, "dnsCacheTtl");
            poolChanged = true;
            return this;
        }

        /** Longest time to establish a connection (> 0; aiohttp {@code connect}; default 5 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Checks.positive(d, "connectTimeout");
            poolChanged = true;
            return this;
        }

        /** Longest wait for the response to start once the request is sent (> 0; default 30 s). */
        public Builder responseTimeout(Duration d) {
            this.responseTimeout = Checks.positive(d, "responseTimeout");
            return this;
        }

        /** Longest gap between two reads of the response (> 0; aiohttp {@code sock_read}; default 30 s). */
        public Builder readTimeout(Duration d) {
            this.readTimeout = Checks.positive(d, "readTimeout");
            return this;
        }

        /**
         * Longest time for one attempt in all, waiting for a connection and the body included (> 0; aiohttp
         * {@code total}; default 60 s): the policy's per-attempt timeout.
         */
        public Builder totalTimeout(Duration d) {
            this.policy = policy.toBuilder().timeout(Checks.positive(d, "totalTimeout")).build();
            return this;
        }

        /** Redirects followed before the redirect itself is returned (>= 0; default 10; 0 disables). */
        public Builder maxRedirects(int n) {
            this.maxRedirects = Checks.notNegative(n, "maxRedirects");
            return this;
        }

        /** Largest response body read whole, in bytes (> 0; default 16 MiB). Streams are not limited. */
        public Builder maxBodySize(long bytes) {
            this.maxBodySize = Checks.positive(bytes, "maxBodySize");
            return this;
        }

        /** The User-Agent header (default {@value #DEFAULT_USER_AGENT}). */
        public Builder userAgent(String userAgent) {
            this.userAgent = Checks.notNull(userAgent, "userAgent");
            return this;
        }

        /** Headers sent with every request (a request's own headers win). */
        public Builder defaultHeaders(Headers headers) {
            this.defaultHeaders = Checks.notNull(headers, "headers");
            return this;
        }

        /**
         * The policy every request, stream and download runs under, all of it: its per-attempt timeout (the total
         * timeout), retry (for idempotent requests only), deadline, concurrency limit and circuit breaker.
         * Replaces {@link #totalTimeout} and {@link #retry}, which are shorthands for parts of it; a policy
         * without a timeout leaves attempts bounded by the connect, response and read timeouts only. Default
         * {@link #DEFAULT_POLICY}.
         */
        public Builder policy(Policy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        /** Retries of transient failures (idempotent requests only); {@link RetryPolicy#none()} disables them. */
        public Builder retry(RetryPolicy retry) {
            this.policy = policy.toBuilder().retry(Checks.notNull(retry, "retry")).build();
            return this;
        }

        /** Which servers HTTPS requests trust (default: the JDK's trust store). */
        public Builder tls(ClientTls tls) {
            this.tls = Checks.notNull(tls, "tls");
            poolChanged = true;
            return this;
        }

        /** The Jackson mapper for JSON bodies and results. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Checks.notNull(mapper, "mapper");
            return this;
        }

        /**
         * Builds the fetcher.
         *
         * @throws IllegalArgumentException if the per-host limit exceeds the total limit
         */
        public HttpFetcher build() {
            Checks.isTrue(maxConnectionsPerHost <= maxConnections, () -> "`maxConnectionsPerHost` ("
                    + maxConnectionsPerHost + ") must not exceed `maxConnections` (" + maxConnections + ")");
            if (origin != null && !poolChanged && origin.pool.retain()) {
                return new HttpFetcher(this, origin.pool);
            }
            SharedPool pool = new SharedPool(maxConnections, maxConnectionsPerHost, maxWaiters,
                    maxWait, maxIdleTime, maxLifeTime, evictionInterval, hostPoolIdleTime,
                    provider -> connecting(this, provider));
            pool.retain();
            return new HttpFetcher(this, pool);
        }

        /** A copy of the settings, not tied to any fetcher: every field but those two holds an immutable value. */
        private Builder copy() {
            try {
                Builder b = (Builder) clone();
                b.origin = null;
                b.poolChanged = false;
                return b;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
