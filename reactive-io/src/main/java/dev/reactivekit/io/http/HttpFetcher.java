package dev.reactivekit.io.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.Concurrency;
import dev.reactivekit.core.Outcome;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.Tasks;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.core.sync.AsyncSemaphore;
import dev.reactivekit.core.sync.TooManyWaitersException;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.io.internal.Downloads;
import dev.reactivekit.io.internal.FileChannels;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.NetworkTransport;
import dev.reactivekit.io.internal.PoolMetrics;
import dev.reactivekit.io.internal.ResponseTimeoutHandler;
import dev.reactivekit.io.internal.TlsContexts;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
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
 * Flux<Outcome<FetchResult>> all = http.fetchAll(urls, 50);      // every URL gets an Outcome
 * http.close().block();
 * }</pre>
 *
 * <h2>Limits and timeouts</h2>
 * Every default is in a {@code DEFAULT_*} constant. Connections are pooled per host (at most
 * {@link Builder#maxConnectionsPerHost}) and in all (at most {@link Builder#maxConnections}); a request waits
 * at most {@link Builder#acquireTimeout} for a pooled connection, and at most {@link Builder#maxPendingAcquires}
 * requests wait, beyond which they fail at once with a {@link PoolTimeoutException}. Idle connections close
 * after {@link Builder#maxIdleTime} and every connection after {@link Builder#maxLifeTime}, checked in the
 * background. A request fails when connecting takes longer than the connect timeout, when the response does not
 * start within the response timeout, when the body stalls for the read timeout (aiohttp's {@code sock_read}),
 * and when the whole attempt exceeds the total timeout (aiohttp's {@code total}). Bodies larger than
 * {@link Builder#maxBodySize} fail with a {@link dev.reactivekit.core.LimitExceededException} as soon as the
 * limit is crossed.
 *
 * <h2>Statuses, retries and results</h2>
 * A status other than 2xx fails with {@link HttpStatusException} (status, URL, start of the body) unless the
 * request is {@link HttpRequest#raw() raw}. The fetcher's {@link Policy} runs each request: by default up to 3
 * attempts with exponential backoff, for idempotent requests only, and only on transient failures (connection
 * errors, timeouts, 5xx, 408, 429), never on 4xx. A request that went out on a pooled connection the server had
 * just closed is resent once at once. Redirects are followed (at most {@link Builder#maxRedirects}); responses
 * are decompressed. {@link FetchResult} tells the final URL, the time taken and the attempts made.
 * <p>
 * Immutable and thread-safe. {@link #toBuilder()} makes a variant that shares this fetcher's connection pool as
 * long as pool settings are not changed; closing either closes the pool.
 */
public final class HttpFetcher implements AsyncCloseable {

    public static final int DEFAULT_MAX_CONNECTIONS = 100;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 50;
    public static final int DEFAULT_MAX_PENDING_ACQUIRES = 500;
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(20);
    public static final Duration DEFAULT_MAX_LIFE_TIME = Duration.ofMinutes(5);
    public static final Duration DEFAULT_EVICTION_INTERVAL = Duration.ofSeconds(10);
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

    private static final AtomicInteger IDS = new AtomicInteger();

    private final Builder settings;
    private final ConnectionProvider provider;
    private final PoolMetrics metrics;
    private final AsyncSemaphore connections;
    private final Exchange exchange;
    private final Policy policy;
    private final Policy once;
    private final FileChannels files;

    private HttpFetcher(Builder b, ConnectionProvider sharedProvider, PoolMetrics sharedMetrics, AsyncSemaphore sharedLimit) {
        this.settings = b.copy();
        NetworkTransport.name();
        this.metrics = sharedMetrics != null ? sharedMetrics : new PoolMetrics();
        this.provider = sharedProvider != null ? sharedProvider : ConnectionProvider.builder("reactivekit-http-" + IDS.incrementAndGet())
                .maxConnections(b.maxConnectionsPerHost)
                .pendingAcquireMaxCount(b.maxPendingAcquires)
                .pendingAcquireTimeout(b.acquireTimeout)
                .maxIdleTime(b.maxIdleTime)
                .maxLifeTime(b.maxLifeTime)
                .evictInBackground(b.evictionInterval)
                .metrics(true, () -> metrics)
                .build();
        this.connections = sharedLimit != null ? sharedLimit : AsyncSemaphore.of(b.maxConnections, b.maxPendingAcquires);
        this.exchange = new Exchange(client(b, provider), b.mapper, b.maxBodySize,
                new NetErrors.Limits(b.connectTimeout, b.responseTimeout, b.readTimeout, b.maxConnectionsPerHost));
        this.policy = b.policy.toBuilder().timeout(b.totalTimeout).build();
        this.once = policy.toBuilder().retry(RetryPolicy.none()).build();
        this.files = FileChannels.shared();
    }

    private static HttpClient client(Builder b, ConnectionProvider provider) {
        HttpClient client = HttpClient.create(provider)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) b.connectTimeout.toMillis())
                .option(ChannelOption.SO_KEEPALIVE, true)
                .responseTimeout(b.readTimeout)
                .compress(true)
                .resolver(spec -> spec.cacheMaxTimeToLive(b.dnsCacheTtl).cacheNegativeTimeToLive(Duration.ofSeconds(1)))
                .followRedirect((req, res) -> isRedirect(res.status().code()) && req.redirectedFrom().length < b.maxRedirects)
                .headers(h -> {
                    h.set(HttpHeaderNames.USER_AGENT, b.userAgent);
                    b.defaultHeaders.asMap().forEach(h::set);
                })
                .doOnRequest((req, connection) -> connection.addHandlerFirst(ResponseTimeoutHandler.NAME,
                        new ResponseTimeoutHandler(b.responseTimeout.toMillis())))
                .doOnResponse((res, connection) -> connection.removeHandler(ResponseTimeoutHandler.NAME));
        if (b.tls != null) {
            client = client.secure(spec -> spec.sslContext(TlsContexts.client(b.tls)));
        }
        return client;
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

    /** A builder with this fetcher's settings, sharing its connection pool unless pool settings change. */
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
     * {@link dev.reactivekit.io.NetworkException} or a {@link dev.reactivekit.core.RetriesExhaustedException}.
     * Nothing is sent before subscription; cancelling aborts the request and frees its connection.
     */
    public Mono<FetchResult> send(HttpRequest request) {
        Checks.notNull(request, "request");
        return Mono.defer(() -> {
            URI uri = parse(request.url());
            long start = System.nanoTime();
            return policyFor(request).execute(request.toString(), attempt -> connections.withPermit(
                            exchange.fetch(request, uri, start))
                    .onErrorMap(TooManyWaitersException.class, e -> new PoolTimeoutException(request
                            + ": too many requests already waiting for a connection", settings.maxConnections, e))
                    .map(result -> result.withAttempts(attempt)));
        });
    }

    /**
     * The response body of {@code request} as it arrives, in chunks that belong to the subscriber, without a size
     * limit (a status other than 2xx fails first, unless the request is raw). Sent once: a stream is never
     * retried. Cancelling aborts the transfer and frees the connection.
     */
    public Flux<ByteBuffer> stream(HttpRequest request) {
        Checks.notNull(request, "request");
        return Flux.defer(() -> {
            URI uri = parse(request.url());
            return connections.withPermit(exchange.stream(request, uri));
        });
    }

    /**
     * Fetches every URL with at most {@code concurrency} requests in flight and at most
     * {@link Builder#maxConnectionsPerHost} per host, and emits one {@link Outcome} per URL in input order, each
     * labelled with its URL (the seeds' {@code fetch_batch}). Nothing is cancelled when one fails; a malformed URL
     * is a failure naming it.
     */
    public Flux<Outcome<FetchResult>> fetchAll(Iterable<String> urls, int concurrency) {
        Checks.notNull(urls, "urls");
        Checks.positive(concurrency, "concurrency");
        Concurrency<String> limit = Concurrency.perKey(concurrency, HttpFetcher::hostKey, settings.maxConnectionsPerHost)
                .maxPending(Math.max(concurrency, Math.min(4 * concurrency, concurrency + settings.maxPendingAcquires)));
        return Tasks.settled(Flux.fromIterable(urls), this::get, limit);
    }

    /**
     * Downloads {@code url} to {@code target}, streaming (never holding the body in memory), and emits progress
     * after every chunk written, then a last event with {@link DownloadProgress#done()} once the file is complete
     * and moved into place. Until then the bytes are in a temporary file next to the target: a failed or
     * cancelled download leaves no file at the target and deletes the temporary one.
     */
    public Flux<DownloadProgress> download(String url, Path target) {
        Checks.notNull(url, "url");
        Checks.notNull(target, "target");
        HttpRequest request = HttpRequest.get(url);
        return Flux.defer(() -> {
            URI uri = parse(url);
            return connections.withPermit(exchange.respond(request, uri, (response, body) -> {
                String length = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
                long total = length == null ? -1 : Long.parseLong(length.trim());
                return Downloads.save(body, total, target, files);
            }));
        });
    }

    /** A snapshot of the connection pools: connections in use, idle, requests waiting. */
    public PoolStats poolStats() {
        return metrics.snapshot();
    }

    /** Closes the connection pool; requests in flight are aborted. */
    @Override
    public Mono<Void> close() {
        return provider.disposeLater();
    }

    private Policy policyFor(HttpRequest request) {
        Policy p = request.isRetryable() ? policy : once;
        return request.timeout() == null ? p : p.toBuilder().timeout(request.timeout()).build();
    }

    /** An absolute http or https URL, or an {@link InvalidUrlException} naming it. */
    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidUrlException("malformed URL '" + url + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidUrlException("unsupported URL '" + url + "': only absolute http and https URLs can be fetched", null);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidUrlException("malformed URL '" + url + "': no host", null);
        }
        return uri;
    }

    private static Object hostKey(String url) {
        try {
            URI uri = new URI(url);
            return uri.getHost() + ":" + uri.getPort();
        } catch (URISyntaxException e) {
            return url;   // fails in get(); any key will do
        }
    }

    /** Builds an {@link HttpFetcher}; every setting has a {@code DEFAULT_*}. */
    public static final class Builder {
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerHost = DEFAULT_MAX_CONNECTIONS_PER_HOST;
        private int maxPendingAcquires = DEFAULT_MAX_PENDING_ACQUIRES;
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
        private Duration maxIdleTime = DEFAULT_MAX_IDLE_TIME;
        private Duration maxLifeTime = DEFAULT_MAX_LIFE_TIME;
        private Duration evictionInterval = DEFAULT_EVICTION_INTERVAL;
        private Duration dnsCacheTtl = DEFAULT_DNS_CACHE_TTL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private String userAgent = DEFAULT_USER_AGENT;
        private Headers defaultHeaders = Headers.empty();
        private Policy policy = Policy.builder().retry(DEFAULT_RETRY).build();
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
        public Builder maxPendingAcquires(int n) {
            this.maxPendingAcquires = Checks.notNegative(n, "maxPendingAcquires");
            poolChanged = true;
            return this;
        }

        /** Longest wait for a pooled connection (> 0; default 5 s). */
        public Builder acquireTimeout(Duration d) {
            this.acquireTimeout = Checks.positive(d, "acquireTimeout");
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

        /** How often idle and old connections are looked for in the background (> 0; default 10 s). */
        public Builder evictionInterval(Duration d) {
            this.evictionInterval = Checks.positive(d, "evictionInterval");
            poolChanged = true;
            return this;
        }

        /** How long resolved host names are cached (> 0; aiohttp {@code ttl_dns_cache}; default 10 s). */
        public Builder dnsCacheTtl(Duration d) {
            this.dnsCacheTtl = Checks.positive(d, "dnsCacheTtl");
            return this;
        }

        /** Longest time to establish a connection (> 0; aiohttp {@code connect}; default 5 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Checks.positive(d, "connectTimeout");
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

        /** Longest time for one attempt in all, body included (> 0; aiohttp {@code total}; default 60 s). */
        public Builder totalTimeout(Duration d) {
            this.totalTimeout = Checks.positive(d, "totalTimeout");
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
         * The policy each request runs under: its retry and deadline are used; its per-attempt timeout is
         * replaced by {@link #totalTimeout}. Default: {@link #DEFAULT_RETRY}, no deadline.
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
            if (origin != null && !poolChanged) {
                return new HttpFetcher(this, origin.provider, origin.metrics, origin.connections);
            }
            return new HttpFetcher(this, null, null, null);
        }

        private Builder copy() {
            Builder b = new Builder();
            b.maxConnections = maxConnections;
            b.maxConnectionsPerHost = maxConnectionsPerHost;
            b.maxPendingAcquires = maxPendingAcquires;
            b.acquireTimeout = acquireTimeout;
            b.maxIdleTime = maxIdleTime;
            b.maxLifeTime = maxLifeTime;
            b.evictionInterval = evictionInterval;
            b.dnsCacheTtl = dnsCacheTtl;
            b.connectTimeout = connectTimeout;
            b.responseTimeout = responseTimeout;
            b.readTimeout = readTimeout;
            b.totalTimeout = totalTimeout;
            b.maxRedirects = maxRedirects;
            b.maxBodySize = maxBodySize;
            b.userAgent = userAgent;
            b.defaultHeaders = defaultHeaders;
            b.policy = policy;
            b.tls = tls;
            b.mapper = mapper;
            return b;
        }
    }
}
