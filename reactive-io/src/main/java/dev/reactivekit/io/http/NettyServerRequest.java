package dev.reactivekit.io.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.io.internal.BodyCollector;
import dev.reactivekit.io.internal.ByteBufs;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** {@link ServerRequest} over Reactor Netty's request; headers and query are converted only when asked for. */
final class NettyServerRequest implements ServerRequest {

    private final HttpServerRequest request;
    private final ObjectMapper mapper;
    private final long maxBodySize;
    private QueryStringDecoder query;
    private Headers headers;
    /** The body-limit error this request raised, if any: it, and only it, is answered with 413. */
    private volatile LimitExceededException bodyLimitError;

    NettyServerRequest(HttpServerRequest request, ObjectMapper mapper, long maxBodySize) {
        this.request = request;
        this.mapper = mapper;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return query().path();
    }

    @Override
    public String uri() {
        return request.uri();
    }

    @Override
    public String pathParam(String name) {
        return request.param(name);
    }

    @Override
    public Optional<String> queryParam(String name) {
        List<String> values = queryParams(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public List<String> queryParams(String name) {
        return query().parameters().getOrDefault(name, List.of());
    }

    @Override
    public Headers headers() {
        if (headers == null) {
            Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String n : request.requestHeaders().names()) {
                map.put(n, request.requestHeaders().getAll(n));
            }
            headers = Headers.of(map);
        }
        return headers;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.requestHeaders().get(name));
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return request.remoteAddress();
    }

    @Override
    public Flux<ByteBuffer> body() {
        return Flux.defer(() -> {
            AtomicLong seen = new AtomicLong();
            return request.receive().map(buf -> {
                if (seen.addAndGet(buf.readableBytes()) > maxBodySize) {
                    throw tooLarge();
                }
                return ByteBufs.copy(buf);
            });
        });
    }

    @Override
    public Mono<byte[]> bodyBytes() {
        return Mono.defer(() -> {
            BodyCollector body = new BodyCollector(what(), maxBodySize, contentLength(), "maxRequestBodySize");
            return request.receive().doOnNext(body::add).then(Mono.fromCallable(body::toBytes));
        }).doOnError(LimitExceededException.class, e -> bodyLimitError = e);
    }

    @Override
    public Mono<String> bodyText() {
        String type = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE, "");
        return bodyBytes().map(bytes -> new String(bytes, FetchResult.charsetOf(type)));
    }

    @Override
    public <T> Mono<T> bodyJson(Class<T> type) {
        return bodyBytes().map(bytes -> parse(() -> mapper.readValue(bytes, type)));
    }

    @Override
    public <T> Mono<T> bodyJson(TypeReference<T> type) {
        return bodyBytes().map(bytes -> parse(() -> mapper.readValue(bytes, type)));
    }

    long contentLength() {
        String value = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private LimitExceededException tooLarge() {
        LimitExceededException error = new LimitExceededException(what() + " is larger than the limit of "
                + maxBodySize + " bytes (maxRequestBodySize)", "maxRequestBodySize", maxBodySize);
        bodyLimitError = error;
        return error;
    }

    /** Whether {@code error} is (or wraps) this request's own body-limit error. */
    boolean isBodyLimitError(Throwable error) {
        LimitExceededException mine = bodyLimitError;
        for (Throwable e = error; e != null && mine != null; e = e.getCause()) {
            if (e == mine) {
                return true;
            }
        }
        return false;
    }

    private String what() {
        return "the body of " + method() + " " + path();
    }

    private QueryStringDecoder query() {
        if (query == null) {
            query = new QueryStringDecoder(request.uri());
        }
        return query;
    }

    private interface Parse<T> {
        T run() throws IOException;
    }

    private static <T> T parse(Parse<T> parse) {
        try {
            return parse.run();
        } catch (IOException e) {
            String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? json.getOriginalMessage() : e.getMessage();
            throw new ResponseStatusException(400, "malformed JSON body: " + reason, e);
        }
    }
}
