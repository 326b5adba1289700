package dev.reactivekit.io.http;

import com.fasterxml.jackson.core.type.TypeReference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A request received by an {@link HttpService} route (aiohttp's {@code web.Request}). The body is read only
 * when asked for, at most once, and never beyond the service's {@code maxRequestBodySize}: a bigger body fails
 * the read with a {@link dev.reactivekit.core.LimitExceededException}, which the service answers with 413.
 */
public interface ServerRequest {

    /** The method, upper case: {@code GET}, {@code POST}... */
    String method();

    /** The path, without the query string: {@code /users/7}. */
    String path();

    /** The full request target, query string included. */
    String uri();

    /** The value of a path parameter of the route, {@code {id}} in {@code /users/{id}}; null if absent. */
    String pathParam(String name);

    /** The first value of a query parameter, decoded. */
    Optional<String> queryParam(String name);

    /** Every value of a query parameter, decoded, in order. */
    List<String> queryParams(String name);

    /** The request headers. */
    Headers headers();

    /** The first value of a header. */
    Optional<String> header(String name);

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /** The body as it arrives, in chunks that belong to the caller. */
    Flux<ByteBuffer> body();

    /** The whole body. */
    Mono<byte[]> bodyBytes();

    /** The whole body as text, in the charset of its Content-Type (UTF-8 by default). */
    Mono<String> bodyText();

    /** The whole body parsed as JSON; malformed JSON fails with a 400-status error. */
    <T> Mono<T> bodyJson(Class<T> type);

    /** The whole body parsed as JSON into a generic type. */
    <T> Mono<T> bodyJson(TypeReference<T> type);
}
