package dev.reactivekit.io.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.io.internal.BodyCollector;
import dev.reactivekit.io.internal.ByteBufs;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.ResponseTimeouts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AttributeKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.client.PrematureCloseException;
import reactor.util.retry.Retry;

/**
 * One attempt of one request over Reactor Netty: send, check the status, read the body within its limit, and
 * map errors. The fetcher wraps it in its policy (timeout, retries) and its connection limit.
 */
final class Exchange {

    /** Set on a channel once it has carried a request: a later request on it got a pooled connection. */
    private static final AttributeKey<Boolean> USED = AttributeKey.valueOf("reactivekit.used");

    /** Characters of a failed response's body quoted in its {@link HttpStatusException}. */
    private static final int EXCERPT = 300;

    private final HttpClient client;
    private final ObjectMapper mapper;
    private final long maxBodySize;
    private final NetErrors.Limits limits;

    Exchange(HttpClient client, ObjectMapper mapper, long maxBodySize, NetErrors.Limits limits) {
        this.client = client;
        this.mapper = mapper;
        this.maxBodySize = maxBodySize;
        this.limits = limits;
    }

    /** Sends {@code request} once and reads its whole body; {@code start} is when the first attempt began. */
    Mono<FetchResult> fetch(HttpRequest request, URI uri, long start) {
        String op = request.toString();
        return resendOnStaleConnection(request, Mono.defer(() -> {
            Attempt attempt = new Attempt();
            return prepare(request, uri)
                    // response(...) rather than responseConnection(...): Reactor Netty then owns the body, and
                    // releases or closes the connection however this function's publisher ends, errors included.
                    .response((response, body) -> Mono.defer(() -> {
                        attempt.answered = true;
                        BodyCollector collected = new BodyCollector("the response of " + op, maxBodySize,
                                contentLength(response));
                        return body.doOnNext(collected::add)
                                .then(Mono.fromCallable(() -> result(request, response, collected.toBytes(), start)));
                    }))
                    .doOnCancel(attempt::cancelled)
                    .single()
                    .takeUntilOther(attempt.timeouts.asMono())
                    .onErrorMap(attempt::stale, StaleConnection::new)
                    .contextWrite(ctx -> ctx.put(Attempt.class, attempt));
        })).onErrorMap(e -> NetErrors.map(e, op, limits));
    }

    /**
     * A pooled keep-alive connection the server had just closed: the request got no answer at all, so an
     * idempotent one is sent again at once, on another connection, without counting an attempt. Only when the
     * connection came from the pool: a fresh connection closed before answering is a real failure, left to the
     * policy. Either way what surfaces is the close itself, as a transient error naming the request.
     */
    private static <T> Mono<T> resendOnStaleConnection(HttpRequest request, Mono<T> attempt) {
        return attempt
                .retryWhen(Retry.max(1).filter(e -> request.isIdempotent() && e instanceof StaleConnection)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(StaleConnection.class, Throwable::getCause);
    }

    private static <T> Flux<T> resendOnStaleConnection(HttpRequest request, Flux<T> attempt) {
        return attempt
                .retryWhen(Retry.max(1).filter(e -> request.isIdempotent() && e instanceof StaleConnection)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(StaleConnection.class, Throwable::getCause);
    }

    /**
     * Called as each request goes out (Reactor Netty's {@code doOnRequest}): tells the attempt in the request's
     * context whether the connection had served a request before, that is, came from the pool, and starts the
     * response's waits on the connection ({@link ResponseTimeouts}), which report to the attempt.
     */
    static void onRequest(HttpClientRequest request, Connection connection, Duration responseTimeout,
            Duration readTimeout) {
        Attempt attempt = request.currentContextView().getOrDefault(Attempt.class, null);
        boolean reused = connection.channel().attr(USED).getAndSet(Boolean.TRUE) != null;
        if (attempt != null) {
            attempt.reused = reused;
        }
        // A previous response on this connection that ended early may have left its handler behind.
        connection.removeHandler(ResponseTimeouts.NAME);
        connection.addHandlerFirst(ResponseTimeouts.NAME, new ResponseTimeouts(responseTimeout.toMillis(),
                readTimeout.toMillis(), attempt == null ? timeout -> false : attempt::timedOut));
    }

    /**
     * Called as each response's head arrives (Reactor Netty's {@code doOnResponse}), on the connection's event
     * loop: tells the attempt in the response's context which operations carry the body.
     */
    static void onResponse(HttpClientResponse response, Connection connection) {
        Attempt attempt = response.currentContextView().getOrDefault(Attempt.class, null);
        if (attempt != null && connection instanceof ChannelOperations<?, ?> operations) {
            attempt.responded(operations);
        }
    }

    /**
     * Sends {@code request} once and streams its body as it arrives, without a size limit; a status other than
     * 2xx fails with {@link HttpStatusException} (its excerpt read from the start of the body) unless raw.
     */
    Flux<java.nio.ByteBuffer> stream(HttpRequest request, URI uri) {
        return respond(request, uri, (response, body) -> body);
    }

    /** As {@link #stream}, handing the response's headers and its streaming body to {@code handler}. */
    <T> Flux<T> respond(HttpRequest request, URI uri,
            java.util.function.BiFunction<HttpClientResponse, Flux<java.nio.ByteBuffer>, Publisher<T>> handler) {
        String op = request.toString();
        return resendOnStaleConnection(request, Flux.defer(() -> {
            Attempt attempt = new Attempt();
            return prepare(request, uri)
                    .response((response, body) -> {
                        attempt.answered = true;
                        int status = response.status().code();
                        if (!request.isRaw() && (status < 200 || status >= 300)) {
                            BodyCollector excerpt = new BodyCollector("the response of " + op, Long.MAX_VALUE, -1);
                            return body.take(4).doOnNext(excerpt::add).then(Mono.error(() ->
                                    statusError(request, response, excerpt.toBytes())));
                        }
                        return handler.apply(response, body.map(ByteBufs::copy));
                    })
                    .doOnCancel(attempt::cancelled)
                    .takeUntilOther(attempt.timeouts.asMono())
                    .onErrorMap(attempt::stale, StaleConnection::new)
                    .contextWrite(ctx -> ctx.put(Attempt.class, attempt));
        })).onErrorMap(e -> NetErrors.map(e, op, limits));
    }

    private HttpClient.ResponseReceiver<?> prepare(HttpRequest request, URI uri) {
        HttpClient.RequestSender sender = client.request(HttpMethod.valueOf(request.method())).uri(uri);
        RequestBody body = request.body();
        return sender.send((req, out) -> {
            request.headers().asMap().forEach((name, values) -> req.requestHeaders().set(name, values));
            if (body == null) {
                return out;
            }
            if (!request.headers().contains("Content-Type")) {
                req.requestHeaders().set(HttpHeaderNames.CONTENT_TYPE, body.contentType());
            }
            return send(out, body);
        });
    }

    private Publisher<Void> send(NettyOutbound out, RequestBody body) {
        if (body instanceof RequestBody.Bytes bytes) {
            return out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bytes.content())));
        }
        if (body instanceof RequestBody.Json json) {
            return out.send(Mono.fromCallable(() -> (ByteBuf) Unpooled.wrappedBuffer(mapper.writeValueAsBytes(json.value()))));
        }
        RequestBody.Stream stream = (RequestBody.Stream) body;
        return out.send(Flux.from(stream.data()).map(ByteBufs::wrap));
    }

    private FetchResult result(HttpRequest request, HttpClientResponse response, byte[] body, long start) {
        int status = response.status().code();
        if (!request.isRaw() && (status < 200 || status >= 300)) {
            throw statusError(request, response, body);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new FetchResult(response.resourceUrl(), status, headers(response), body, elapsed, 1, mapper);
    }

    private static HttpStatusException statusError(HttpRequest request, HttpClientResponse response, byte[] body) {
        String text = new String(body, 0, Math.min(body.length, EXCERPT * 4),
                FetchResult.charsetOf(String.valueOf(response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE, ""))));
        String excerpt = text.length() > EXCERPT ? text.substring(0, EXCERPT) + "..." : text;
        return new HttpStatusException(request.method(), response.resourceUrl(), response.status().code(),
                excerpt.strip());
    }

    private static Headers headers(HttpClientResponse response) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : response.responseHeaders().names()) {
            map.put(name, response.responseHeaders().getAll(name));
        }
        return Headers.of(map);
    }

    private static long contentLength(HttpClientResponse response) {
        String value = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What one attempt learned about its connection and response, set from Reactor Netty's callbacks. */
    private static final class Attempt {
        volatile boolean reused;
        volatile boolean answered;
        private volatile boolean cancelled;
        private volatile ChannelOperations<?, ?> response;
        /** Fails with a response wait that ran out; the exchange then cancels, and Reactor Netty closes quietly. */
        final Sinks.Empty<Void> timeouts = Sinks.empty();

        boolean timedOut(TimeoutException timeout) {
            return timeouts.currentSubscriberCount() > 0 && timeouts.tryEmitError(timeout).isSuccess();
        }

        /** The response's head arrived; its body is dropped at once if the exchange was cancelled meanwhile. */
        void responded(ChannelOperations<?, ?> operations) {
            response = operations;
            if (cancelled) {
                drop(operations);
            }
        }

        /**
         * The exchange was cancelled (by its caller, or by a response wait running out). Once the response handler
         * runs, Reactor Netty drops what is left of the body when the handler's publisher ends. Cancelled just as
         * the head arrived, the handler never runs: Reactor Netty hands the response to a subscriber that is gone,
         * the body's buffers queue up for a reader that never comes and stay there, unreleased, when the response
         * ends. So the body is dropped here, whichever of the head and the cancel comes second.
         */
        void cancelled() {
            cancelled = true;
            ChannelOperations<?, ?> operations = response;
            if (operations != null) {
                drop(operations);
            }
        }

        private void drop(ChannelOperations<?, ?> operations) {
            if (!answered) {
                operations.discard();   // thread-safe: releases what is queued, and what arrives later
            }
        }

        /** The server closed a pooled connection without a word of answer: worth one resend. */
        boolean stale(Throwable error) {
            return error instanceof PrematureCloseException && reused && !answered;
        }
    }

    /** Marks a stale pooled connection's close for the resend; unwrapped before anyone sees it. */
    private static final class StaleConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaleConnection(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
